import { groupPageUrl } from '@app/common/http/group-page-url';
import { groupPath } from '@app/modules/ui/ui-paths';

describe('groupPageUrl', () => {
  it("is the UI's group page under the public URL, with key and fingerprint encoded", () => {
    expect(groupPageUrl('https://cb.acme.com', 'shop', 'a/b c')).toBe(`https://cb.acme.com${groupPath('shop', 'a/b c')}`);
    expect(groupPageUrl('https://cb.acme.com/', 'shop', 'fp')).toBe('https://cb.acme.com/ui/projects/shop/groups/fp');
  });
});
