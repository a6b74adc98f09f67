import { FailedOutboxRow } from '@app/database/repositories/outbox.repository';

/** What a job kind did, in the words the failures list uses. */
const WHAT: Record<string, string> = {
  'ticket.create': 'create',
  'jira.sync': 'sync',
  'jira.regression': 'regression',
  'jira.resync': 'resync',
  'jira.webhook': 'webhook',
  'jira.fields': 'update',
  'jira.milestone': 'milestone',
};

const DESCRIBED: Record<string, string> = {
  create: 'Create the Jira issue',
  sync: 'Push state or assignee to Jira (transition, assign)',
  regression: 'Reopen the Jira issue and comment on a regression',
  resync: 'Reconcile with Jira',
  webhook: 'Apply Jira webhook events',
  update: 'Write the update fields to the Jira issue',
  milestone: 'Comment on the Jira issue about a milestone count',
};

export interface FailureView {
  id: string;
  kind: string;
  what: string;
  description: string;
  group: { fingerprint: string; title: string | null } | null;
  issue: { key: string } | null;
  error: string | null;
  attempts: number;
  createdAt: string;
  failedAt: string | null;
}

// Credentials and secrets that an error message could carry (an Authorization header echoed back,
// a webhook URL with ?secret=, a URL with user:password), replaced before the message is shown.
const SECRETS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/([?&](?:secret|token|api[_-]?token|access_token|password)=)[^&\s"']+/gi, '$1[redacted]'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[redacted]@'],
  [/\b(ATATT|ATCTT)[A-Za-z0-9_=-]{8,}/g, '[redacted]'],
];

/** A stored last error as it may be shown: secrets masked, length bounded. */
export function sanitiseError(error: string | null): string | null {
  if (error === null) return null;
  let out = error;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out.length > 1000 ? `${out.slice(0, 1000)}…` : out;
}

export function toFailureView(row: FailedOutboxRow): FailureView {
  const what = WHAT[row.kind] ?? row.kind;
  return {
    id: row.id,
    kind: row.kind,
    what,
    description: DESCRIBED[what] ?? `Run job ${row.kind}`,
    group: row.fingerprint !== null ? { fingerprint: row.fingerprint, title: row.title } : null,
    issue: row.issueKey ? { key: row.issueKey } : null,
    error: sanitiseError(row.lastError),
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    failedAt: row.failedAt ? row.failedAt.toISOString() : null,
  };
}
