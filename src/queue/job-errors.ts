/** Thrown by a handler: try again later (after retryAfterMs when known). */
export class RetryLaterError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** Thrown by a handler: retrying cannot help; the row is marked failed. */
export class PermanentJobError extends Error {}

/**
 * Thrown by a handler (or answered by a job gate): the job cannot run until `waitingFor` clears (e.g. Jira
 * refuses the integration's credentials). The row waits, due again after `retryAfterMs` at the latest or when
 * the cause is cleared (`OutboxRepository.wakeWaiting`), and the run does not count as an attempt.
 */
export class JobWaitError extends RetryLaterError {
  constructor(
    readonly waitingFor: string,
    message: string,
    retryAfterMs: number,
  ) {
    super(message, retryAfterMs);
  }
}
