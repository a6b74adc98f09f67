// View models of the groups table and the group page: URLs, sort headers, rows, the sparkline and histogram geometry.
import { compareNatural } from '@app/common/natural-compare';
import { ErrorCode, ERROR_CODES } from '@app/common/errors/error-codes';
import { AttributeHistograms, GroupState } from '@app/database/entities';
import { GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { DEFAULT_GROUP_SORT, GroupSort } from '@app/modules/ingestion/dto/list-groups-query.dto';
import { groupPath, groupsPath } from '@app/modules/ui/ui-paths';

/** The list's query as the page keeps it in its links (only what passed validation). */
export interface ListView {
  sort: GroupSort;
  state?: GroupState;
  assignee?: string;
  ticketStatus?: string;
  q?: string;
}

/** The groups page with these sort and filters (no cursor: a changed query starts at the first page). */
export function listUrl(key: string, view: ListView, cursor?: string): string {
  const params = new URLSearchParams();
  if (view.sort !== DEFAULT_GROUP_SORT) params.set('sort', view.sort);
  for (const name of ['state', 'assignee', 'ticketStatus', 'q'] as const) if (view[name]) params.set(name, view[name]!);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `${groupsPath(key)}?${query}` : groupsPath(key);
}

/** A sortable column header: descending first, the other direction when it is the current sort. */
export function sortHeader(key: string, view: ListView, field: 'count' | 'lastSeen') {
  const current = view.sort === `-${field}` ? 'descending' : view.sort === field ? 'ascending' : undefined;
  const next: GroupSort = current === 'descending' ? field : `-${field}`;
  return { href: listUrl(key, { ...view, sort: next }), ariaSort: current ?? 'none', arrow: current === 'descending' ? '▼' : current === 'ascending' ? '▲' : '' };
}

/** A version attribute's values, most reported first (then newest), for the table's versions column. */
export function versionsOf(attributes: AttributeHistograms, attribute: string, shown = 3) {
  const values = Object.entries(attributes[attribute] ?? {}).sort(([a, x], [b, y]) => y - x || compareNatural(b, a));
  return { values: values.slice(0, shown).map(([value, count]) => ({ value, count })), more: Math.max(0, values.length - shown) };
}

/** "4 min ago", "3 h ago", "12 d ago": how long since `iso`, coarse enough to scan down a column. */
export function ago(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return `${Math.floor(minutes / 1440)} d ago`;
}

export function tableRow(key: string, g: GroupResponseDto, versionAttribute: string) {
  return {
    countText: g.count.toLocaleString('en-US'),
    lastSeenAgo: ago(g.lastSeen),
    fingerprint: g.fingerprint,
    title: g.title,
    href: groupPath(key, g.fingerprint),
    count: g.count,
    lastSeen: g.lastSeen,
    state: g.state,
    assignee: g.assignee,
    ticket: g.ticket,
    versionAttribute,
    versions: versionsOf(g.attributes, versionAttribute),
  };
}

/** The summary a bulk action redirects with: counts and an error code, never free text. */
export function bulkSummary(query: Record<string, unknown>): string | undefined {
  if (query.done !== 'bulk') return undefined;
  const ok = Number(query.ok);
  const failed = Number(query.failed);
  if (!Number.isSafeInteger(ok) || !Number.isSafeInteger(failed) || ok < 0 || failed < 0) return undefined;
  const done = `${ok} group${ok === 1 ? '' : 's'} done.`;
  if (failed === 0) return done;
  const why = typeof query.why === 'string' && query.why in ERROR_CODES ? ` ${ERROR_CODES[query.why as ErrorCode]}` : '';
  return `${done} ${failed} failed.${why}`;
}

export interface OccurrenceBucket {
  start: Date;
  count: number;
}

/** Bars of an SVG sparkline: one per hour from `since` to `until`, empty hours included, heights scaled to the busiest. */
export function sparkline(buckets: OccurrenceBucket[], since: Date, until: Date, width = 720, height = 60) {
  const hour = 3600_000;
  const first = Math.floor(since.getTime() / hour);
  const slots = Math.max(1, Math.floor(until.getTime() / hour) - first + 1);
  const counts = new Array<number>(slots).fill(0);
  for (const b of buckets) {
    const i = Math.floor(b.start.getTime() / hour) - first;
    if (i >= 0 && i < slots) counts[i] += b.count;
  }
  const max = Math.max(0, ...counts);
  const step = width / slots;
  const bars = counts.flatMap((count, i) => {
    if (count === 0) return [];
    const h = Math.max(1, Math.round((count / max) * (height - 2)));
    const at = new Date((first + i) * hour).toISOString().slice(0, 13).replace('T', ' ');
    return [{ x: (i * step).toFixed(2), y: height - h, width: Math.max(1, step - 0.5).toFixed(2), height: h, label: `${at}:00 UTC: ${count}` }];
  });
  return { width, height, bars, max, total: counts.reduce((a, b) => a + b, 0) };
}

/** Each attribute's values, most reported first, as bar widths (0-100, of the attribute's top value) for SVG rects. */
export function histogramBars(attributes: AttributeHistograms, shown = 10) {
  return Object.entries(attributes)
    .sort(([a], [b]) => compareNatural(a, b))
    .map(([name, values]) => {
      const sorted = Object.entries(values).sort(([a, x], [b, y]) => y - x || compareNatural(a, b));
      const top = sorted[0]?.[1] ?? 0;
      const total = sorted.reduce((sum, [, n]) => sum + n, 0);
      return {
        name,
        total,
        more: Math.max(0, sorted.length - shown),
        values: sorted.slice(0, shown).map(([value, count]) => ({ value, count, width: top ? Math.max(1, Math.round((count / top) * 100)) : 0 })),
      };
    });
}
