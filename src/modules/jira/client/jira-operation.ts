import type { JiraError } from './jira-errors';

/** Per-issue operations, told apart by method and the path after `issue/{idOrKey}`. */
const ISSUE_OPERATIONS: Array<[method: string, tail: RegExp, name: string]> = [
  ['POST', /^\/transitions$/, 'transition issue'],
  ['GET', /^\/transitions$/, 'read transitions'],
  ['PUT', /^\/assignee$/, 'assign issue'],
  ['POST', /^\/comment$/, 'add comment'],
  ['PUT', /^\/comment\/[^/]+$/, 'edit comment'],
  ['GET', /^\/comment$/, 'read comments'],
  ['PUT', /^\/properties\/[^/]+$/, 'set issue property'],
  ['GET', /^\/properties\/[^/]+$/, 'read issue property'],
  ['PUT', /^$/, 'edit issue'],
  ['DELETE', /^$/, 'delete issue'],
  ['GET', /^(\/.*)?$/, 'read issue'],
];

/** The other calls the client makes, by method and path. */
const OTHER_OPERATIONS: Array<[method: string, path: RegExp, name: string]> = [
  ['POST', /^issue$/, 'create issue'],
  ['POST', /^issue\/bulk$/, 'create issues in bulk'],
  ['GET', /^issue\/createmeta(\/.*)?$/, 'read create screen'],
  ['POST', /^version$/, 'create version'],
  ['GET', /^project\/[^/]+\/versions$/, 'read versions'],
  ['GET', /^project\/[^/]+$/, 'read project'],
  ['GET', /^search(\/jql)?$/, 'search issues'],
  ['POST', /^search(\/jql)?$/, 'search issues'],
  ['GET', /^user\/search$/, 'search users'],
  ['GET', /^myself$/, 'read myself'],
  ['GET', /^serverInfo$/, 'read server info'],
  ['GET', /^mypermissions$/, 'read permissions'],
  ['GET', /^(resolution|field)$/, 'read metadata'],
  ['GET', /^webhook$/, 'list webhooks'],
  ['POST', /^webhook$/, 'create webhook'],
  ['DELETE', /^webhook\/[^/]+$/, 'delete webhook'],
];

/** The named operation of a call (method and path, issue keys or route placeholders alike), or null when unknown. */
export function namedJiraOperation(method: string, path: string): string | null {
  const m = method.toUpperCase();
  const p = path.replace(/^\/+/, '').replace(/[?#].*$/, '');
  const other = OTHER_OPERATIONS.find(([om, re]) => om === m && re.test(p));
  if (other) return other[2];
  const issue = /^issue\/[^/]+(.*)$/.exec(p);
  if (issue && !p.startsWith('issue/createmeta')) {
    const hit = ISSUE_OPERATIONS.find(([im, tail]) => im === m && tail.test(issue[1]));
    if (hit) return hit[2];
  }
  return null;
}

/**
 * What a failed call was trying to do, in words for the activity log ("transition issue",
 * "assign issue", …), read from the request the error carries; `METHOD path` otherwise.
 */
export function jiraOperation(error: Pick<JiraError, 'method' | 'path'>): string {
  const method = (error.method ?? '').toUpperCase();
  const path = (error.path ?? '').replace(/^\/+/, '').replace(/[?#].*$/, '');
  return namedJiraOperation(method, path) ?? (method && path ? `${method} ${path}` : 'call Jira');
}
