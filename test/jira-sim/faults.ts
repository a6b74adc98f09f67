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
  private readonly summariesSeen = new Set<string>();

  rateLimit(opts: { requests: number; retryAfterSeconds: number; status?: 429 | 503 }): void {
    this.rateLimited = { left: opts.requests, retryAfterSeconds: opts.retryAfterSeconds, status: opts.status ?? 429 };
  }

  serverErrors(count: number, status = 500): void {
    this.errors = { left: count, status };
  }

  latency(ms: number): void {
    this.latencyMs = ms;
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
    this.summariesSeen.clear();
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
