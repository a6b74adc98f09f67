import { pathMatcher } from '@app/common/http/direct-route-matcher';

describe('pathMatcher (the requests served ahead of Express)', () => {
  const groups = pathMatcher('/api/v1/projects/:key/groups');

  it('takes the exact path and reads its parameters, with or without a query string', () => {
    expect(groups('/api/v1/projects/checkout/groups')).toEqual({ key: 'checkout' });
    expect(groups('/api/v1/projects/chk-1_a.b/groups?x=1')).toEqual({ key: 'chk-1_a.b' });
    expect(pathMatcher('/webhooks/jira/:projectKey')('/webhooks/jira/CHK?secret=s')).toEqual({ projectKey: 'CHK' });
  });

  it('leaves to Express what it would read by other rules: decoding, case, a trailing slash', () => {
    expect(groups('/api/v1/projects/chk%2D1/groups')).toBeUndefined();
    expect(groups('/API/v1/projects/checkout/groups')).toBeUndefined();
    expect(groups('/api/v1/projects/checkout/groups/')).toBeUndefined();
    expect(groups('http://localhost/api/v1/projects/checkout/groups')).toBeUndefined();
  });

  it('takes nothing of another path', () => {
    expect(groups('/api/v1/projects//groups')).toBeUndefined();
    expect(groups('/api/v1/projects/checkout/groups/fp-1')).toBeUndefined();
    expect(groups('/api/v1/projects/checkout')).toBeUndefined();
    expect(groups('/api/v1/projects/checkout/tickets')).toBeUndefined();
    expect(groups('')).toBeUndefined();
  });
});
