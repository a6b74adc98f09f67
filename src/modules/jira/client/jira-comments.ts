import { nextStartAt } from './createmeta';
import { MAX_PAGES, startAtPage } from './jira-paging';
import type { JiraTransport } from './jira-transport';
import type { JiraComment } from './jira-types';

const enc = encodeURIComponent;

export interface JiraCommentVisibility {
  type: 'group' | 'role';
  value: string;
}

export function addComment(
  transport: JiraTransport,
  idOrKey: string,
  body: string,
  options: { visibility?: JiraCommentVisibility },
): Promise<JiraComment> {
  return transport.request<JiraComment>({
    method: 'POST',
    path: `issue/${enc(idOrKey)}/comment`,
    route: 'issue/{issue}/comment',
    body: options.visibility ? { body, visibility: options.visibility } : { body },
    // A retry after a lost answer could post the comment twice.
    idempotent: false,
  });
}

export async function getComments(transport: JiraTransport, idOrKey: string): Promise<JiraComment[]> {
  const out: JiraComment[] = [];
  let startAt = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = await transport.request<Record<string, unknown>>({
      method: 'GET',
      path: `issue/${enc(idOrKey)}/comment`,
      route: 'issue/{issue}/comment',
      query: { startAt, maxResults: 100 },
    });
    const items = Array.isArray(data?.comments) ? (data.comments as JiraComment[]) : [];
    out.push(...items);
    const next = nextStartAt(startAtPage(items, data), startAt);
    if (next === undefined) break;
    startAt = next;
  }
  return out;
}
