import type { JiraAttemptInfo } from '@app/modules/jira/client';

/** Jira REST calls by method and route template (the client's low-cardinality `route`), named for /metrics. */
const OPERATIONS: Record<string, string> = {
  'POST issue': 'createIssue',
  'GET issue/{issue}': 'readIssue',
  'PUT issue/{issue}': 'editIssue',
  'DELETE issue/{issue}': 'deleteIssue',
  'GET issue/{issue}/transitions': 'readTransitions',
  'POST issue/{issue}/transitions': 'transition',
  'PUT issue/{issue}/assignee': 'assign',
  'GET issue/{issue}/comment': 'readComments',
  'POST issue/{issue}/comment': 'addComment',
  'PUT issue/{issue}/comment/{comment}': 'editComment',
  'GET issue/{issue}/properties/{property}': 'readProperty',
  'PUT issue/{issue}/properties/{property}': 'setProperty',
  'GET search': 'search',
  'POST search': 'search',
  'GET search/jql': 'search',
  'POST search/jql': 'search',
  'GET user/search': 'searchUsers',
  'GET myself': 'myself',
  'GET serverInfo': 'serverInfo',
  'GET mypermissions': 'permissions',
  'GET project/{project}': 'readProject',
  'GET project/{project}/versions': 'readVersions',
  'POST version': 'createVersion',
  'GET resolution': 'readMetadata',
  'GET field': 'readMetadata',
  'GET webhook': 'listWebhooks',
  'POST webhook': 'createWebhook',
  'DELETE webhook/{id}': 'deleteWebhook',
};

/**
 * The bounded operation name of a Jira call for the latency histogram. Create-screen
 * metadata (issue/createmeta...) reads as `readMetadata`; anything not listed is `other`,
 * so that a call added later without a route template cannot put issue keys into a label.
 */
export function jiraCallOperation(info: Pick<JiraAttemptInfo, 'method' | 'route'>): string {
  const route = info.route.replace(/^\/+/, '').replace(/[?#].*$/, '');
  const named = OPERATIONS[`${info.method.toUpperCase()} ${route}`];
  if (named) return named;
  if (route.startsWith('issue/createmeta')) return 'readMetadata';
  return 'other';
}
