// Fault injection: rate limits, server errors, latency and lost create responses.
import type { SimFaults } from './types';
import { errorBody } from './util';

export interface FaultAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export class Faults implements SimFaults {
  latencyMs = 0;
  private rateLimited = { left: 0, retryAfterSeconds: 0, status: 429 };
  private errors = { left: 0, status: 500 };
  private drops: number | 'first-per-summary' = 0;
  private commentDrops = 0;
  private readonly summariesSeen = new Set<string>();
  /** Token bucket on POST /issue (creates): capacity and refill `perSecond`; null when off. */
  private createBucket: { perSecond: number; retryAfterSeconds: number; tokens: number; at: number } | null = null;
  /** Creates answered 429 by rateLimitPerSecond since it was set (extension, for benchmarks). */
  createsRateLimited = 0;

  rateLimit(opts: { requests: number; retryAfterSeconds: number; status?: 429 | 503 }): void {
    this.rateLimited = { left: opts.requests, retryAfterSeconds: opts.retryAfterSeconds, status: opts.status ?? 429 };
  }

  /**
   * Jira Cloud's per-second create limit, as a token bucket: at most `perSecond` POST /issue
   * per second (bursts up to `perSecond`); beyond that 429 with Retry-After. `0` turns it off.
   * Only creates count; other requests are never limited by it.
   */
  rateLimitPerSecond(perSecond: number, retryAfterSeconds = 1): void {
    this.createBucket = perSecond > 0 ? { perSecond, retryAfterSeconds, tokens: perSecond, at: Date.now() } : null;
    this.createsRateLimited = 0;
  }

  serverErrors(count: number, status = 500): void {
    this.errors = { left: count, status };
  }

  latency(ms: number): void {
    this.latencyMs = ms;
  }

  /** The next `count` comment creates are stored but their answers lost (the connection is cut). */
  dropCommentResponses(count: number): void {
    this.commentDrops = count;
  }

  /** Called after POST issue/{id}/comment stored the comment: should its response be lost? */
  shouldDropComment(): boolean {
    if (this.commentDrops <= 0) return false;
    this.commentDrops--;
    return true;
  }

  dropCreateResponses(count: number | 'first-per-summary'): void {
    this.drops = count;
    this.summariesSeen.clear();
  }

  reset(): void {
    this.latencyMs = 0;
    this.rateLimited.left = 0;
    this.errors.left = 0;
    this.drops = 0;
    this.commentDrops = 0;
    this.summariesSeen.clear();
    this.createBucket = null;
    this.createsRateLimited = 0;
  }

  /** The 429 for a POST /issue over the per-second create limit, if any (takes a token otherwise). */
  takeCreate(): FaultAnswer | undefined {
    const b = this.createBucket;
    if (!b) return undefined;
    const now = Date.now();
    b.tokens = Math.min(b.perSecond, b.tokens + ((now - b.at) / 1000) * b.perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    this.createsRateLimited++;
    const retryAfterSeconds = b.retryAfterSeconds;
    return {
      status: 429,
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-reset': new Date(now + retryAfterSeconds * 1000).toISOString(),
        'ratelimit-reason': 'jira-per-issue-on-write',
      },
      body: errorBody('Rate limit exceeded.'),
    };
  }

  /** The fault answer for the next REST request, if any (counts down). Rate limits come before server errors. */
  take(): FaultAnswer | undefined {
    if (this.rateLimited.left > 0) {
      this.rateLimited.left--;
      const { status, retryAfterSeconds } = this.rateLimited;
      return {
        status,
        // Jira Cloud's rate-limit headers: https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
        headers: {
          'retry-after': String(retryAfterSeconds),
          'x-ratelimit-reset': new Date(Date.now() + retryAfterSeconds * 1000).toISOString(),
          'ratelimit-reason': 'jira-burst-based',
        },
        body: errorBody(status === 429 ? 'Rate limit exceeded.' : 'Service Unavailable'),
      };
    }
    if (this.errors.left > 0) {
      this.errors.left--;
      return { status: this.errors.status, headers: {}, body: errorBody('Internal server error') };
    }
    return undefined;
  }

  /** Called after POST /issue stored the issue: should its response be lost? */
  shouldDropCreate(summary: string): boolean {
    if (this.drops === 'first-per-summary') {
      if (this.summariesSeen.has(summary)) return false;
      this.summariesSeen.add(summary);
      return true;
    }
    if (this.drops > 0) {
      this.drops--;
      return true;
    }
    return false;
  }
}
