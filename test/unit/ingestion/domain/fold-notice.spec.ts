import { foldNotice } from '@app/modules/ingestion/domain/fold-notice';

describe('foldNotice: the activity entry of folded attribute values', () => {
  const group = { projectId: '7', fingerprint: 'fp', attributes: { version: { '1.0': 3, '(other)': 9 }, host: { a: 1 } } };

  it('names the attributes folded for the first time', () => {
    const entry = foldNotice(group, new Set(['host', 'user']));
    expect(entry).toMatchObject({ projectId: '7', fingerprint: 'fp', kind: 'attributes.folded', source: 'ingest', data: { attributes: ['host', 'user'], more: 0 } });
    expect(entry?.detail).toContain('host, user');
  });

  it('says nothing for attributes folded before (they hold "(other)" already)', () => {
    expect(foldNotice(group, new Set(['version']))).toBeNull();
    expect(foldNotice(group, new Set())).toBeNull();
  });

  it('names ten attributes and counts the rest', () => {
    const names = Array.from({ length: 25 }, (_, i) => `attr-${i}`);
    const entry = foldNotice({ ...group, attributes: {} }, new Set(names));
    expect(entry?.data).toMatchObject({ attributes: names.slice(0, 10), more: 15 });
    expect(entry?.detail).toContain('and 15 more attribute(s)');
  });
});
