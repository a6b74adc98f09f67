import { ago, bulkSummary, histogramBars, listUrl, sortHeader, sparkline, versionsOf } from '@app/modules/ui/pages/group-views';

describe('group views', () => {
  it('builds list URLs without the default sort, and flips the current sort header', () => {
    expect(listUrl('web', { sort: '-lastSeen' })).toBe('/ui/projects/web/groups');
    expect(listUrl('web', { sort: 'count', state: 'open', assignee: 'a b@x', ticketStatus: 'none' }, 'CUR')).toBe(
      '/ui/projects/web/groups?sort=count&state=open&assignee=a+b%40x&ticketStatus=none&cursor=CUR',
    );
    expect(sortHeader('web', { sort: '-count' }, 'count')).toEqual({ href: '/ui/projects/web/groups?sort=count', ariaSort: 'descending', arrow: '▼' });
    expect(sortHeader('web', { sort: 'count' }, 'count')).toMatchObject({ href: '/ui/projects/web/groups?sort=-count', ariaSort: 'ascending' });
    expect(sortHeader('web', { sort: 'count' }, 'lastSeen')).toMatchObject({ href: '/ui/projects/web/groups', ariaSort: 'none', arrow: '' });
  });

  it('summarises a bulk action from numbers and a known error code only', () => {
    expect(bulkSummary({ done: 'bulk', ok: '3', failed: '0' })).toBe('3 groups done.');
    expect(bulkSummary({ done: 'bulk', ok: '1', failed: '2', why: 'GROUP_NOT_FOUND' })).toBe('1 group done. 2 failed. No group with this fingerprint in the project.');
    expect(bulkSummary({ done: 'bulk', ok: '1', failed: '1', why: '<b>hi</b>' })).toBe('1 group done. 1 failed.');
    expect(bulkSummary({ done: 'bulk', ok: 'x', failed: '0' })).toBeUndefined();
    expect(bulkSummary({ done: 'updated' })).toBeUndefined();
  });

  it('puts occurrences into hourly bars scaled to the busiest hour, empty hours left out', () => {
    const since = new Date('2026-12-01T10:30:00Z');
    const until = new Date('2026-12-01T13:10:00Z');
    const chart = sparkline([{ start: new Date('2026-12-01T10:00:00Z'), count: 2 }, { start: new Date('2026-12-01T13:00:00Z'), count: 8 }], since, until, 400, 50);
    expect(chart).toMatchObject({ max: 8, total: 10 });
    expect(chart.bars.map((b) => [b.x, b.height, b.label])).toEqual([
      ['0.00', 12, '2026-12-01 10:00 UTC: 2'],
      ['300.00', 48, '2026-12-01 13:00 UTC: 8'],
    ]);
    expect(sparkline([], since, until).bars).toEqual([]);
  });

  it('orders histogram values by count with widths relative to the top one, and versions most reported first', () => {
    const [h] = histogramBars({ platform: { iOS: 5, Android: 10, Web: 1 } }, 2);
    expect(h).toEqual({ name: 'platform', total: 16, more: 1, values: [{ value: 'Android', count: 10, width: 100 }, { value: 'iOS', count: 5, width: 50 }] });
    expect(versionsOf({ version: { '1.9': 2, '1.10': 2, '1.2': 7, '0.1': 1 } }, 'version')).toEqual({
      values: [{ value: '1.2', count: 7 }, { value: '1.10', count: 2 }, { value: '1.9', count: 2 }],
      more: 1,
    });
    expect(ago(new Date(Date.now() - 3 * 3600_000).toISOString())).toBe('3 h ago');
  });
});
