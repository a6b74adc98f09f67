import { CreateMetaShapeError, type MetaPage, nextStartAt } from './createmeta';
import { unexpectedResponse } from './jira-failures';
import type { JiraTransport } from './jira-transport';
import type { Query } from './jira-types';

/** Guard against a server that pages forever. */
export const MAX_PAGES = 1_000;

/** A `startAt`/`total` page as Jira answered it, for `nextStartAt`. */
export function startAtPage<T>(items: T[], data: Record<string, unknown> | null | undefined): MetaPage<T> {
  return {
    items,
    startAt: typeof data?.startAt === 'number' ? data.startAt : undefined,
    total: typeof data?.total === 'number' ? data.total : undefined,
  };
}

/** Every item of a `GET` answered in pages of 50, each page read by `normalize`. */
export async function collectPages<T>(
  transport: JiraTransport,
  path: string,
  route: string,
  query: Query,
  normalize: (data: unknown) => MetaPage<T>,
): Promise<T[]> {
  const out: T[] = [];
  let startAt = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = await transport.request<unknown>({ method: 'GET', path, route, query: { ...query, startAt, maxResults: 50 } });
    let parsed: MetaPage<T>;
    try {
      parsed = normalize(data);
    } catch (e) {
      if (e instanceof CreateMetaShapeError) throw unexpectedResponse('GET', path, e.message);
      throw e;
    }
    out.push(...parsed.items);
    const next = nextStartAt(parsed, startAt);
    if (next === undefined) break;
    startAt = next;
  }
  return out;
}
