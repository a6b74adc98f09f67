// Search, as each flavour answers it today (docs/jira.md, "Search"):
//  - Cloud: /search answers 410 (CHANGE-2046); /search/jql pages with nextPageToken, returns only ids unless
//    `fields` is given, and is eventually consistent (new issues are hidden for searchVisibilityDelayMs).
//  - Data Center: /search with startAt/maxResults/total; no /search/jql.
import { createHash } from 'node:crypto';
import { parseJql } from './jql';
import { canBrowse } from './permissions';
import { parseFieldList } from './render';
import { RestCtx, Route, intParam, ok, params, route } from './router';
import type { SimIssue } from './types';
import { fail } from './util';

const GONE =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

const jqlHash = (jql: string) => createHash('sha1').update(jql).digest('hex').slice(0, 8);
const encodeToken = (offset: number, jql: string) => Buffer.from(JSON.stringify({ o: offset, h: jqlHash(jql) })).toString('base64url');

function decodeToken(token: string, jql: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number; h: string };
    if (Number.isInteger(t.o) && t.o >= 0 && t.h === jqlHash(jql)) return t.o;
  } catch {
    /* fall through */
  }
  return fail(400, 'The provided next page token is invalid or expired.');
}

const list = (v: unknown) => (v === undefined || v === null ? [] : (Array.isArray(v) ? v : String(v).split(',')).map((x) => String(x).trim()).filter(Boolean));

function withProperties(issue: SimIssue, wanted: string[]) {
  if (!wanted.length) return {};
  return { properties: Object.fromEntries(wanted.filter((k) => k in issue.properties).map((k) => [k, issue.properties[k]])) };
}

function cloudSearch(c: RestCtx) {
  const p = params(c);
  const jql = String(p.jql ?? '');
  const query = parseJql(c.store, jql);
  if (query.unbounded) fail(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  const fields = parseFieldList(p.fields);
  const maxResults = Math.max(1, intParam(p.maxResults, 50, fields ? 100 : 5000));
  const reconcile = list(p.reconcileIssues);
  const now = Date.now();
  // Eventual consistency: a new issue is not in the index yet, unless the caller names it in reconcileIssues.
  const delay = c.searchVisibilityDelayMs;
  const visible = (i: SimIssue) => delay <= 0 || now - i.createdAt >= delay || reconcile.includes(i.id);
  const all = (canBrowse(c.store) ? c.store.allIssues() : []).filter(visible).filter(query.matches).sort(query.compare);
  const offset = p.nextPageToken ? decodeToken(String(p.nextPageToken), jql) : 0;
  const slice = all.slice(offset, offset + maxResults);
  const isLast = offset + slice.length >= all.length;
  const props = list(p.properties);
  const issues = slice.map((i) => ({ ...(fields ? c.store.issueJson(i, fields) : { id: i.id }), ...withProperties(i, props) }));
  return ok({ issues, ...(isLast ? {} : { nextPageToken: encodeToken(offset + slice.length, jql) }), isLast });
}

function dcSearch(c: RestCtx) {
  const p = params(c);
  const query = parseJql(c.store, String(p.jql ?? ''));
  const startAt = intParam(p.startAt, 0);
  const maxResults = intParam(p.maxResults, 50, 1000);
  const fields = parseFieldList(p.fields) ?? ['*navigable'];
  const all = (canBrowse(c.store) ? c.store.allIssues() : []).filter(query.matches).sort(query.compare);
  const props = list(p.properties);
  const issues = all.slice(startAt, startAt + maxResults).map((i) => ({ ...c.store.issueJson(i, fields), ...withProperties(i, props) }));
  return ok({ expand: 'schema,names', startAt, maxResults, total: all.length, issues });
}

const gone = () => fail(410, GONE);

export const searchRoutes: Route[] = [
  route('GET', '/search', gone, { v3: true, only: 'cloud' }),
  route('POST', '/search', gone, { v3: true, only: 'cloud' }),
  route('GET', '/search/jql', cloudSearch, { v3: true, only: 'cloud' }),
  route('POST', '/search/jql', cloudSearch, { v3: true, only: 'cloud' }),
  route('GET', '/search', dcSearch, { only: 'datacenter' }),
  route('POST', '/search', dcSearch, { only: 'datacenter' }),
];
