import { namedJiraOperation, type JiraAttemptInfo } from '@app/modules/jira/client';

/**
 * The bounded operation name of a Jira call for the latency histogram: the activity log's name in camel case
 * ("transition issue" → transitionIssue). A call not named there is `other`, so that a call added later without a
 * route template cannot put issue keys into a label.
 */
export function jiraCallOperation(info: Pick<JiraAttemptInfo, 'method' | 'route'>): string {
  const name = namedJiraOperation(info.method, info.route);
  return name ? name.replace(/ (\w)/g, (_, c: string) => c.toUpperCase()) : 'other';
}
