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
  ['PUT', /^$/, 'edit issue'],
  ['DELETE', /^$/, 'delete issue'],
  ['GET', /^(\/.*)?$/, 'read issue'],
];

/**
 * What a failed call was trying to do, in words for the activity log ("transition issue",
 * "assign issue", …), read from the request the error carries; `METHOD path` otherwise.
 */
export function jiraOperation(error: Pick<JiraError, 'method' | 'path'>): string {
  const method = (error.method ?? '').toUpperCase();
  const path = (error.path ?? '').replace(/^\/+/, '').replace(/[?#].*$/, '');
  if (path === 'issue' && method === 'POST') return 'create issue';
  if (path === 'version' && method === 'POST') return 'create version';
  const issue = /^issue\/[^/]+(.*)$/.exec(path);
  if (issue && issue[1] !== undefined && !path.startsWith('issue/createmeta')) {
    const hit = ISSUE_OPERATIONS.find(([m, tail]) => m === method && tail.test(issue[1]));
    if (hit) return hit[2];
  }
  if (/^search(\/jql)?$/.test(path)) return 'search issues';
  if (path === 'user/search') return 'search users';
  return method && path ? `${method} ${path}` : 'call Jira';
}
