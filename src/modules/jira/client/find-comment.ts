import { commentText } from './adf-text';
import type { JiraClient } from './jira-client';
import type { JiraComment } from './jira-types';

/**
 * The first comment whose text (Cloud's ADF flattened) passes `matches`: how a job that must comment once
 * finds the comment an earlier attempt posted (its marker) before posting again.
 */
export async function findComment(client: Pick<JiraClient, 'getComments'>, idOrKey: string, matches: (text: string) => boolean): Promise<JiraComment | undefined> {
  return (await client.getComments(idOrKey)).find((c) => matches(commentText(c.body)));
}
