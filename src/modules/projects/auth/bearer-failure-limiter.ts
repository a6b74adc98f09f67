import { Inject, Injectable } from '@nestjs/common';
import { FixedWindowCounter } from '@app/common/fixed-window-counter';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';

/**
 * Wrong bearer tokens per client address, in fixed one-minute windows, in this process's memory.
 * Not in the database like the UI sign-in limit: every wrong token would then be a write that
 * anyone can trigger without a token, and the UI sign-in sees a handful of requests where the API
 * sees floods. With several API processes an address gets the limit from each; tokens are 256-bit
 * random values, so the limit is about load and noise, not about making a guess likely.
 * A correct token never touches it.
 */
@Injectable()
export class BearerFailureLimiter {
  private readonly failures: FixedWindowCounter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // API_TOKEN_FAILURES_PER_MINUTE failures an address may have in a window.
    this.failures = new FixedWindowCounter({ limit: config.apiTokenFailuresPerMinute, windowMs: 60_000, maxKeys: 10_000 });
  }

  /** Seconds until this address may present an unknown token again, or 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    return this.failures.retryAfter(address, now);
  }

  /** Counts a wrong token, then decides: the seconds to wait when this failure is past the limit, else 0. */
  recordFailure(address: string, now = Date.now()): number {
    return this.failures.count(address, now);
  }
}
