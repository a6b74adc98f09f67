import { nextStartAt } from './createmeta';
import { unexpectedResponse } from './jira-failures';
import { MAX_PAGES, startAtPage } from './jira-paging';
import type { JiraTransport } from './jira-transport';
import type { JiraFlavour, JiraIssue, JiraSearchOptions } from './jira-types';

export const DEFAULT_SEARCH_PAGE_SIZE = 100;

/** Issues matching `jql`, page by page as they are consumed, in the flavour's own paging. */
export async function* iterateJql(
  transport: JiraTransport,
  flavour: () => Promise<JiraFlavour>,
  jql: string,
  options: JiraSearchOptions,
): AsyncGenerator<JiraIssue> {
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_SEARCH_PAGE_SIZE));
  const maxIssues = options.maxIssues ?? Number.POSITIVE_INFINITY;
  const fields = options.fields?.length ? options.fields : ['*navigable'];
  if (maxIssues <= 0) return;
  const paging = { jql, pageSize, maxIssues, fields };
  if ((await flavour()) === 'cloud') yield* cloudPages(transport, paging, options);
  else yield* dataCenterPages(transport, paging, options);
}

interface Paging {
  jql: string;
  pageSize: number;
  maxIssues: number;
  fields: string[];
}

/** Cloud: `POST search/jql`, paged by `nextPageToken`. */
async function* cloudPages(transport: JiraTransport, p: Paging, options: JiraSearchOptions): AsyncGenerator<JiraIssue> {
  let yielded = 0;
  let token: string | undefined;
  const seenTokens = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = await transport.request<Record<string, unknown>>({
      method: 'POST',
      path: 'search/jql',
      idempotent: true,
      body: {
        jql: p.jql,
        maxResults: Math.min(p.pageSize, p.maxIssues - yielded),
        fields: p.fields,
        ...(token ? { nextPageToken: token } : {}),
        ...(options.expand?.length ? { expand: options.expand.join(',') } : {}),
        ...(options.reconcileIssues?.length ? { reconcileIssues: options.reconcileIssues } : {}),
      },
    });
    const issues = Array.isArray(data?.issues) ? (data.issues as JiraIssue[]) : [];
    for (const issue of issues) {
      yield issue;
      if (++yielded >= p.maxIssues) return;
    }
    const next = typeof data?.nextPageToken === 'string' ? data.nextPageToken : undefined;
    if (!next || data.isLast === true || issues.length === 0) return;
    if (seenTokens.has(next)) throw unexpectedResponse('POST', 'search/jql', 'nextPageToken repeats');
    seenTokens.add(next);
    token = next;
  }
}

/** Data Center: `POST search`, paged by `startAt`/`total`. */
async function* dataCenterPages(transport: JiraTransport, p: Paging, options: JiraSearchOptions): AsyncGenerator<JiraIssue> {
  let yielded = 0;
  let startAt = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = await transport.request<Record<string, unknown>>({
      method: 'POST',
      path: 'search',
      idempotent: true,
      body: {
        jql: p.jql,
        startAt,
        maxResults: Math.min(p.pageSize, p.maxIssues - yielded),
        fields: p.fields,
        ...(options.expand?.length ? { expand: options.expand } : {}),
      },
    });
    const issues = Array.isArray(data?.issues) ? (data.issues as JiraIssue[]) : [];
    for (const issue of issues) {
      yield issue;
      if (++yielded >= p.maxIssues) return;
    }
    const next = nextStartAt(startAtPage(issues, data), startAt);
    if (next === undefined) return;
    startAt = next;
  }
}
