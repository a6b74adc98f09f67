import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

export const BEARER_FAILURE_LIMIT = { failures: 20, windowSeconds: 60 };
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

  /** Seconds until this address may present an unknown token again, or 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const w = this.windows.get(address);
    if (!w || w.endsAt <= now || w.failures < BEARER_FAILURE_LIMIT.failures) return 0;
    return Math.ceil((w.endsAt - now) / 1000);
  }

  /**
   * Counts a wrong token, then decides (one synchronous step, so parallel failures cannot all pass):
   * the seconds to wait when this failure is past the limit, else 0.
   */
  recordFailure(address: string, now = Date.now()): number {
    let w = this.windows.get(address);
    if (!w || w.endsAt <= now) {
      w = { failures: 0, endsAt: now + BEARER_FAILURE_LIMIT.windowSeconds * 1000 };
      this.windows.set(address, w);
    }
    w.failures++;
    return w.failures > BEARER_FAILURE_LIMIT.failures ? Math.ceil((w.endsAt - now) / 1000) : 0;
  }
}
