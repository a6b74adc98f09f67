import { isJiraError } from '@app/modules/jira/client';
import { JobWaitError, PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { REFUSED_RECHECK_MS, credentialsWait } from '@app/modules/jira-settings/credentials/credentials-wait';

/** How long to wait before looking for an issue whose create answer was lost. */
const UNKNOWN_OUTCOME_RETRY_MS = 1_000;

/** What Jira said, for the activity log: its errorMessages and per-field errors. */
export function jiraErrorDetail(err: unknown): { message: string; data?: Record<string, unknown> } {
  if (isJiraError(err)) {
    return { message: err.message, data: { status: err.status ?? null, kind: err.kind, errorMessages: err.errorMessages, errors: err.errors } };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

/**
 * Maps a failed Jira call to the job's next step: retry later (rate limits,
 * outages, a lost answer), wait without spending an attempt (Jira refuses the
 * credentials: the integration is marked failing until a new token or a probe),
 * or give up (Jira refused the request; repeating it cannot help and would only storm Jira).
 */
export function classifyJiraFailure(err: unknown): RetryLaterError | PermanentJobError {
  if (!isJiraError(err)) return new RetryLaterError(err instanceof Error ? err.message : String(err));
  if (err.kind === 'auth') return credentialsWait(err.message, REFUSED_RECHECK_MS);
  if (err.kind === 'unknown_outcome') return new RetryLaterError(err.message, UNKNOWN_OUTCOME_RETRY_MS);
  if (err.retryable || err.kind === 'rate_limited' || err.kind === 'server' || err.kind === 'network' || err.kind === 'timeout') {
    return new RetryLaterError(err.message, err.retryAfterMs);
  }
  return new PermanentJobError(err.message);
}

/** A wait is never a failure: not even on the last attempt, since waiting costs none. */
export const isWait = (err: unknown): err is JobWaitError => err instanceof JobWaitError;
