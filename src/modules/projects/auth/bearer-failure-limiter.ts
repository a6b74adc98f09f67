import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';

const WINDOW_SECONDS = 60;
/** Addresses tracked at once: the oldest are forgotten first, so a flood of addresses costs bounded memory. */
const MAX_ADDRESSES = 10_000;

interface Window {
  failures: number;
  endsAt: number;
}

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
  private readonly windows = new LRUCache<string, Window>({ max: MAX_ADDRESSES });
  /** Failures an address may have in a window (API_TOKEN_FAILURES_PER_MINUTE). */
  private readonly limit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.apiTokenFailuresPerMinute;
  }

  /** Seconds until this address may present an unknown token again, or 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const w = this.windows.get(address);
    if (!w || w.endsAt <= now || w.failures < this.limit) return 0;
    return Math.ceil((w.endsAt - now) / 1000);
  }

  /**
   * Counts a wrong token, then decides (one synchronous step, so parallel failures cannot all pass):
   * the seconds to wait when this failure is past the limit, else 0.
   */
  recordFailure(address: string, now = Date.now()): number {
    let w = this.windows.get(address);
    if (!w || w.endsAt <= now) {
      w = { failures: 0, endsAt: now + WINDOW_SECONDS * 1000 };
      this.windows.set(address, w);
    }
    w.failures++;
    return w.failures > this.limit ? Math.ceil((w.endsAt - now) / 1000) : 0;
  }
}
