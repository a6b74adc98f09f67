import { isJiraError } from '@app/modules/jira/client';
import { PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { SecretUnreadableError } from '@app/modules/jira-settings/secrets/secret-problem';

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
 * outages, a lost answer) or give up (Jira refused the request; repeating it
 * cannot help and would only storm Jira). A token that cannot be decrypted stays so until
 * someone enters it again: permanent too (SecretProblemLog has told the activity log).
 */
export function classifyJiraFailure(err: unknown): RetryLaterError | PermanentJobError {
  if (err instanceof SecretUnreadableError) return new PermanentJobError(err.message);
  if (!isJiraError(err)) return new RetryLaterError(err instanceof Error ? err.message : String(err));
  if (err.kind === 'unknown_outcome') return new RetryLaterError(err.message, UNKNOWN_OUTCOME_RETRY_MS);
  if (err.retryable || err.kind === 'rate_limited' || err.kind === 'server' || err.kind === 'network' || err.kind === 'timeout') {
    return new RetryLaterError(err.message, err.retryAfterMs);
  }
  return new PermanentJobError(err.message);
}
