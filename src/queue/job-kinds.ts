/**
 * Every job kind the outbox runs, and the payload its rows carry (stored as JSON in
 * outbox.payload). A kind is added here, and a class marked @JobHandler(kind) runs it;
 * a process that runs jobs refuses to start while a kind has no handler (JobRegistry).
 */
export interface JobPayloads {
  /** Create the Jira issue of one group (auto: by createRules; else asked for by a person). */
  'ticket.create': { groupId: string; auto: boolean };
  /** Bring the group's Jira issue to the group's current state and assignee. */
  'jira.sync': { groupId: string };
  /**
   * Apply the verified, de-duplicated webhook events waiting for the project (webhook_events).
   * With `change`: that one event (a JiraChange of the inbound sync), as queued before events
   * waited in their own table.
   */
  'jira.webhook': { projectId: string; change?: object };
  /** Reopen a regressed group's Jira issue and/or comment on it (settings.regression). */
  'jira.regression': { groupId: string; regressionNo: number; version: string | null; count: number; resolvedUntil: string | null };
  /** Reconcile one project's groups with their Jira issues (the periodic resync). */
  'jira.resync': { projectId: string };
  /** Write the group's update fields (settings.updates.fields) to its Jira issue, rendered from the group as it is then. */
  'jira.fields': { groupId: string };
  /** Comment once on the group's Jira issue that its count crossed `milestone` (settings.updates.milestones). */
  'jira.milestone': { groupId: string; milestone: number };
  /** Delete the rows past their retention (RETENTION_DAYS, JOB_RETENTION_DAYS), in small batches. */
  'retention.prune': Record<string, never>;
  /** Post a note added here as a comment on its group's Jira issue (settings.comments.outbound), exactly once. */
  'comment.post': { commentId: string };
  /** Create the tickets of a backfill's queued groups, in bulk (jira_runs, jira_run_groups). */
  'jira.backfill': { runId: string };
  /** Link the existing Jira issues an import's JQL finds to their groups. */
  'jira.import': { runId: string };
  /** Add the backlink comment to an issue linked by hand or by import, once. */
  'jira.backlink': { groupId: string; issueKey: string };
  /** POST the project's change feed, from its receiver's progress on, to its notification receiver. */
  'notifications.deliver': { projectId: string };
}

export type JobKind = keyof JobPayloads;

/** Spelled out once more so the compiler checks the list against JobPayloads, both ways. */
const KINDS: { [K in JobKind]: K } = {
  'ticket.create': 'ticket.create',
  'jira.sync': 'jira.sync',
  'jira.webhook': 'jira.webhook',
  'jira.regression': 'jira.regression',
  'jira.resync': 'jira.resync',
  'retention.prune': 'retention.prune',
  'comment.post': 'comment.post',
  'jira.backfill': 'jira.backfill',
  'jira.import': 'jira.import',
  'jira.backlink': 'jira.backlink',
  'notifications.deliver': 'notifications.deliver',
  'jira.fields': 'jira.fields',
  'jira.milestone': 'jira.milestone',
};

export const JOB_KINDS: readonly JobKind[] = Object.values(KINDS);
