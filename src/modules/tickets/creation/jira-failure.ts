import { isJiraError, jiraOperation } from '@app/modules/jira/client';
import { JobWaitError, PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { REFUSED_RECHECK_MS, credentialsWait } from '@app/modules/jira-settings/credentials/credentials-wait';
import { SecretUnreadableError } from '@app/modules/jira-settings/secrets/secret-problem';
import { NewActivity } from '@app/modules/activity/activity.service';

/** How long to wait before looking for an issue whose create answer was lost. */
const UNKNOWN_OUTCOME_RETRY_MS = 1_000;

/** What Jira said, for the activity log: its errorMessages and per-field errors. */
export function jiraErrorDetail(err: unknown): { message: string; data?: Record<string, unknown> } {
  if (isJiraError(err)) {
    return {
      message: permissionRefusal(err) ?? err.message,
      data: { status: err.status ?? null, kind: err.kind, operation: jiraOperation(err), errorMessages: err.errorMessages, errors: err.errors },
    };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

/** Activity kind of a call Jira refused for want of a right (a 403). */
export const PERMISSION_MISSING = 'jira.permission-missing';

/**
 * A 403 in words: the operation, the issue it was on and Jira's own message, e.g.
 * `Jira refused to transition issue CHK-1: Jira 403: You do not have permission to transition this issue.`
 * Null for any other failure.
 */
export function permissionRefusal(err: unknown): string | null {
  if (!isJiraError(err, 'forbidden')) return null;
  const issue = /^issue\/([^/]+)/.exec(err.path ?? '')?.[1];
  const on = issue && issue !== 'createmeta' ? ` ${decodeURIComponent(issue)}` : '';
  return `Jira refused to ${jiraOperation(err)}${on}: ${err.message}`;
}

/** The activity entry of a 403, or null for any other failure. */
export function permissionRefusalActivity(err: unknown, where: { projectId: string; fingerprint?: string | null }): NewActivity | null {
  const detail = permissionRefusal(err);
  if (!detail || !isJiraError(err)) return null;
  return {
    projectId: where.projectId,
    fingerprint: where.fingerprint ?? null,
    kind: PERMISSION_MISSING,
    source: 'worker',
    detail,
    data: { operation: jiraOperation(err), status: err.status ?? null, errorMessages: err.errorMessages, errors: err.errors },
  };
}

/**
 * Maps a failed Jira call to the job's next step: retry later (rate limits,
 * outages, a lost answer), wait without spending an attempt (Jira refuses the
 * credentials: the integration is marked failing until a new token or a probe),
 * or give up (Jira refused the request; repeating it cannot help and would only storm Jira).
 * A token that cannot be decrypted stays so until someone enters it again: permanent too
 * (SecretProblemLog has told the activity log).
 */
export function classifyJiraFailure(err: unknown): RetryLaterError | PermanentJobError {
  if (err instanceof SecretUnreadableError) return new PermanentJobError(err.message);
  if (!isJiraError(err)) return new RetryLaterError(err instanceof Error ? err.message : String(err));
  if (err.kind === 'auth') return credentialsWait(err.message, REFUSED_RECHECK_MS);
  if (err.kind === 'unknown_outcome') return new RetryLaterError(err.message, UNKNOWN_OUTCOME_RETRY_MS);
  if (err.retryable || err.kind === 'rate_limited' || err.kind === 'server' || err.kind === 'network' || err.kind === 'timeout') {
    return new RetryLaterError(err.message, err.retryAfterMs);
  }
  // A missing right does not come back by waiting: fail at once, naming what was refused.
  return new PermanentJobError(permissionRefusal(err) ?? err.message);
}

/** A wait is never a failure: not even on the last attempt, since waiting costs none. */
export const isWait = (err: unknown): err is JobWaitError => err instanceof JobWaitError;
