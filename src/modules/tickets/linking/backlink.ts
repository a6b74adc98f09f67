import { EntityManager } from 'typeorm';
import { OutboxService } from '@app/queue/outbox.service';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';

/** Whether comments go out to Jira (`settings.comments.outbound`; on unless turned off, as for notes). */
export function commentsOutbound(settings: Pick<JiraSettings, 'comments'>): boolean {
  return settings.comments.outbound;
}

/**
 * Queues the backlink comment of an issue just linked by hand or by import, in the link's transaction, when
 * comments go out; one job per group and issue.
 */
export async function queueBacklink(m: EntityManager, outbox: OutboxService, settings: Pick<JiraSettings, 'comments'>, projectId: string, groupId: string, issueKey: string): Promise<void> {
  if (!commentsOutbound(settings)) return;
  await outbox.enqueue(m, { kind: 'jira.backlink', projectId, payload: { groupId, issueKey }, dedupeKey: `backlink:${groupId}:${issueKey}` });
}
