import { LRUCache } from 'lru-cache';

export interface FixedWindowOptions {
  /** Counts a key may reach in one window before it has to wait. */
  limit: number;
  windowMs: number;
  /** Keys tracked at once; the least recently seen are forgotten first, so a flood of keys costs bounded memory. */
  maxKeys: number;
}

interface Window {
  count: number;
  endsAt: number;
}

/**
 * Per-key counts in fixed windows, in this process's memory: the throttles of failed or
 * refused requests per client address. Counting and deciding are one synchronous step, so
 * parallel requests cannot all pass.
 */
export class FixedWindowCounter {
  private readonly windows: LRUCache<string, Window>;

  constructor(private readonly options: FixedWindowOptions) {
    this.windows = new LRUCache<string, Window>({ max: options.maxKeys });
  }

  /** Seconds until `key` is under its limit again; 0 when it is now. */
  retryAfter(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    if (!w || w.endsAt <= now || w.count < this.options.limit) return 0;
    return Math.ceil((w.endsAt - now) / 1000);
  }

  /** Counts one for `key`: the seconds to wait when this one is past the limit, else 0. */
  count(key: string, now = Date.now()): number {
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = { count: 0, endsAt: now + this.options.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count > this.options.limit ? Math.ceil((w.endsAt - now) / 1000) : 0;
  }
}
