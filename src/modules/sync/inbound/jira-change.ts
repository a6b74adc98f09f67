// The one shape the inbound sync works with, whichever way a Jira change reached us:
// a Cloud or Data Center webhook (parse-webhook.ts) or an issue read back during
// reconciliation (parse-issue.ts). Pure data: no NestJS, no I/O.

import type { JiraUserRef } from '@app/modules/jira/client/jira-types';

export type JiraChangeKind = 'created' | 'updated' | 'deleted' | 'comment';

export interface JiraChange {
  kind: JiraChangeKind;
  issueId: string;
  /** absent when the event names the issue by id only (a Data Center comment event without `issue`) */
  issueKey?: string;
  jiraProjectKey?: string;
  /** ms since epoch: the webhook `timestamp` (or issue.fields.updated for resync) */
  timestamp: number;
  status?: { name: string; id?: string; category?: 'new' | 'indeterminate' | 'done' | string };
  /** undefined = not known from this event; null = unassigned */
  assignee?: JiraUserRef | null;
  fixVersions?: string[];
  /** what the changelog says changed (field names normalised: 'status', 'assignee', 'fixVersions', 'key', ...) */
  changedFields: string[];
  /** the user who made the change (to tell our bot's own changes apart, informational) */
  actor?: JiraUserRef;
  /** `created`/`updated`: ms since epoch, when Jira sent them; `deleted`: a comment_deleted event. */
  comment?: { id: string; body: string; author?: JiraUserRef; created?: number; updated?: number; deleted?: boolean };
  /** previous key when the issue was moved (changelog 'Key' item or key mismatch) */
  previousKey?: string;
}
