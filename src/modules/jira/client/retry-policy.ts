import { JiraError } from './jira-errors';

export interface RetryPolicyOptions {
  /** First backoff ceiling; doubles per retry. Default 250 ms. */
  baseDelayMs?: number;
  /** Ceiling of one backoff delay (not of Retry-After). Default 10 s. */
  maxDelayMs?: number;
  /**
   * Total time budget from the first attempt: no retry is scheduled whose delay would end
   * after it. Default 60 s. (An attempt already running may still finish past it, by at
   * most one request timeout.)
   */
  maxElapsedMs?: number;
  /** Attempts in all, the first included. Default 10. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** In [0, 1); for the jitter. Default Math.random. */
  random?: () => number;
}

export const DEFAULT_RETRY_OPTIONS = Object.freeze({
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxElapsedMs: 60_000,
  maxAttempts: 10,
});

export type RetryDecision =
  | { retry: true; delayMs: number; reason: 'retry_after' | 'backoff' }
  | {
      retry: false;
      /** The error to throw (a converted `unknown_outcome` for non-idempotent requests). */
      error: JiraError;
      reason: 'not_retryable' | 'unknown_outcome' | 'max_attempts' | 'time_budget';
    };

export interface RetryContext {
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** `now()` when the first attempt started. */
  startedAt: number;
  /** False for requests that must not be repeated blindly (POST issue, comment, transition). */
  idempotent: boolean;
}

export interface RunOptions {
  idempotent?: boolean;
  /** Called after each failed attempt with the decision taken. */
  onFailure?: (error: JiraError, decision: RetryDecision, attempt: number) => void;
}

export const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * When to try a Jira call again.
 *
 * - 429 and 503: wait what `Retry-After` (seconds or HTTP date; or `X-RateLimit-Reset`)
 *   says, never less; without one, back off as below.
 * - 5xx (but 501/505), network errors, timeouts: exponential backoff with full jitter,
 *   a delay drawn uniformly from [0, min(maxDelayMs, baseDelayMs * 2^(retry-1))).
 * - other 4xx: no retry.
 * - non-idempotent requests: an error after which Jira may have applied the request
 *   (connection lost after sending, timeout, 5xx other than 503-with-Retry-After) is not
 *   retried but thrown as `unknown_outcome`; 429 and 503 with Retry-After are retried
 *   (Jira refused them unprocessed), and so are failures before the connection was made.
 * - gives up after `maxAttempts`, or when the next delay would end past `maxElapsedMs`
 *   (a Retry-After longer than what is left gives up at once), throwing the last error
 *   with `attempts` set.
 */
export class RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxElapsedMs: number;
  readonly maxAttempts: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  private readonly random: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_RETRY_OPTIONS.baseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY_OPTIONS.maxDelayMs;
    this.maxElapsedMs = options.maxElapsedMs ?? DEFAULT_RETRY_OPTIONS.maxElapsedMs;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_RETRY_OPTIONS.maxAttempts);
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Full-jitter backoff before retry number `retry` (1 = after the first failure). */
  backoffMs(retry: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, retry - 1));
    const r = Math.min(Math.max(this.random(), 0), 1);
    return Math.min(Math.floor(r * ceiling), Math.max(0, ceiling - 1));
  }

  decide(error: JiraError, ctx: RetryContext): RetryDecision {
    if (!ctx.idempotent && error.mayHaveBeenProcessed) {
      return { retry: false, error: JiraError.unknownOutcome(error), reason: 'unknown_outcome' };
    }
    if (!error.retryable) return { retry: false, error, reason: 'not_retryable' };
    if (ctx.attempt >= this.maxAttempts) return { retry: false, error, reason: 'max_attempts' };
    const honoursRetryAfter = error.retryAfterMs !== undefined && error.retryAfterMs > 0;
    const delayMs = honoursRetryAfter ? Math.ceil(error.retryAfterMs as number) : this.backoffMs(ctx.attempt);
    if (this.now() - ctx.startedAt + delayMs > this.maxElapsedMs) {
      return { retry: false, error, reason: 'time_budget' };
    }
    return { retry: true, delayMs, reason: honoursRetryAfter ? 'retry_after' : 'backoff' };
  }

  /**
   * Runs `operation` until it succeeds or the policy gives up. Only `JiraError`s are
   * retried; anything else is rethrown at once.
   */
  async run<T>(operation: (attempt: number) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const idempotent = options.idempotent ?? true;
    const startedAt = this.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation(attempt);
      } catch (caught) {
        if (!(caught instanceof JiraError)) throw caught;
        caught.attempts = attempt;
        const decision = this.decide(caught, { attempt, startedAt, idempotent });
        options.onFailure?.(caught, decision, attempt);
        if (!decision.retry) {
          decision.error.attempts = attempt;
          throw decision.error;
        }
        await this.sleep(decision.delayMs);
      }
    }
  }
}

/**
 * Parses `Retry-After` (delta seconds, or an HTTP date) into a delay in ms.
 * A date is measured against `referenceMs`: the response's `Date` header when there is one
 * (immune to clock skew between us and Jira; its whole-second resolution only lengthens
 * the wait), else our clock. Returns undefined when absent or unparsable; never negative.
 */
export function parseRetryAfter(value: string | undefined | null, referenceMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // An HTTP date always names the day or month; a bare number like "-5" is not one.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - referenceMs);
}

/** Delay from a response's headers: `Retry-After`, else Cloud's `X-RateLimit-Reset` (ISO date). */
export function retryAfterFromHeaders(
  headers: Record<string, unknown>,
  localNowMs: number,
): number | undefined {
  const header = (name: string): string | undefined => {
    const v = headers[name] ?? headers[name.toLowerCase()];
    if (Array.isArray(v)) return v.length ? String(v[0]) : undefined;
    return v === undefined || v === null ? undefined : String(v);
  };
  const serverDate = Date.parse(header('date') ?? '');
  const reference = Number.isNaN(serverDate) ? localNowMs : serverDate;
  const retryAfter = parseRetryAfter(header('retry-after'), reference);
  if (retryAfter !== undefined) return retryAfter;
  const reset = header('x-ratelimit-reset');
  if (!reset || /^\s*\d+(\.\d+)?\s*$/.test(reset)) return undefined;
  const at = Date.parse(reset);
  return Number.isNaN(at) ? undefined : Math.max(0, at - reference);
}
