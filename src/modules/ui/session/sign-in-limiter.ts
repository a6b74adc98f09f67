import { Injectable } from '@nestjs/common';

export const SIGN_IN_LIMIT = { failures: 10, windowMs: 60_000 };
const MAX_TRACKED = 10_000;

/**
 * Failed UI sign-ins per client address, in fixed one-minute windows. Only wrong
 * tokens count: the point is to stop guessing, not to lock out an admin who signs
 * in often. Per API process (each process allows its own SIGN_IN_LIMIT).
 */
@Injectable()
export class SignInLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  /** Seconds until this address may try again, or 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const entry = this.failures.get(address);
    if (!entry || entry.resetAt <= now || entry.count < SIGN_IN_LIMIT.failures) return 0;
    return Math.ceil((entry.resetAt - now) / 1000);
  }

  recordFailure(address: string, now = Date.now()): void {
    const entry = this.failures.get(address);
    if (entry && entry.resetAt > now) {
      entry.count += 1;
      return;
    }
    if (this.failures.size >= MAX_TRACKED) this.prune(now);
    this.failures.set(address, { count: 1, resetAt: now + SIGN_IN_LIMIT.windowMs });
  }

  /** Drops expired windows; if every one is live (an attack from many addresses), the oldest go. */
  private prune(now: number): void {
    for (const [address, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(address);
    for (const address of this.failures.keys()) {
      if (this.failures.size < MAX_TRACKED) break;
      this.failures.delete(address);
    }
  }
}
