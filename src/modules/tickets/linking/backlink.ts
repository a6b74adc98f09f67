import { EntityManager } from 'typeorm';
import { OutboxService } from '@app/queue/outbox.service';

/** Whether comments go out to Jira (`settings.comments.outbound`); settings without the key: off. */
export function commentsOutbound(settings: object | null | undefined): boolean {
  const comments = (settings as { comments?: { outbound?: unknown } } | null | undefined)?.comments;
  return comments?.outbound === true;
}

/** The text that marks a backlink comment, so a retry finds it instead of posting a second. */
export function backlinkMarker(groupId: string): string {
  return `[crashbridge-link:${groupId}]`;
}

/**
 * Queues the backlink comment of an issue just linked by hand or by import, in the link's transaction, when
 * comments go out; one job per group and issue.
 */
export async function queueBacklink(m: EntityManager, outbox: OutboxService, settings: object | null | undefined, projectId: string, groupId: string, issueKey: string): Promise<void> {
  if (!commentsOutbound(settings)) return;
  await outbox.enqueue(m, { kind: 'jira.backlink', projectId, payload: { groupId, issueKey }, dedupeKey: `backlink:${groupId}:${issueKey}` });
}
