import { JobWaitError } from '@app/queue/job-errors';

/** What a job waits for while Jira refuses the integration's credentials. */
export const CREDENTIALS_WAIT = 'jira-credentials';

/**
 * How long a waiting job sleeps at most before it looks again. A new token (settings PUT) or a probe Jira accepts
 * wakes the jobs at once; this is only the fallback, and a job that wakes to failing credentials waits again
 * without calling Jira.
 */
export const CREDENTIALS_WAIT_MS = 60 * 60_000;

/**
 * A job that got the 401 itself looks again this soon: its own refusal is recorded in the background, and a new
 * token saved meanwhile may already have woken the others. From then on the gate keeps it waiting.
 */
export const REFUSED_RECHECK_MS = 30_000;

/** The job kinds whose handlers call Jira with the integration's credentials: they wait while those fail. */
export const JIRA_CALLING_KINDS = [
  'ticket.create', 'jira.sync', 'jira.regression', 'jira.resync', 'jira.backfill', 'jira.import', 'jira.backlink', 'jira.fields', 'jira.milestone',
] as const;

export function credentialsWait(message: string, delayMs = CREDENTIALS_WAIT_MS): JobWaitError {
  return new JobWaitError(CREDENTIALS_WAIT, `waiting for working Jira credentials: ${message}`, delayMs);
}
