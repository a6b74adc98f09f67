/** Thrown by a handler: try again later (after retryAfterMs when known). */
export class RetryLaterError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** Thrown by a handler: retrying cannot help; the row is marked failed. */
export class PermanentJobError extends Error {}
