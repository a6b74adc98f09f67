/** What the heartbeat calls: renews the claim, true while the row is still this attempt's. */
export type RenewClaim = () => Promise<boolean>;

export interface HeartbeatEvents {
  /** The row is no longer this attempt's: its later writes are fenced off; nothing more to renew. */
  onLost(): void;
  /** A renewal failed (the database is unreachable); the next beat tries again. */
  onError(error: unknown): void;
}

/**
 * Renews a running job's claim every `intervalMs` until stopped, so that the claim's lock can be
 * short: a worker that dies stops renewing, and its job runs again once the lock lapses. One
 * renewal at a time; after `onLost` it stops by itself. The timer does not keep the process alive.
 */
export class ClaimHeartbeat {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  private constructor(
    private readonly renew: RenewClaim,
    private readonly intervalMs: number,
    private readonly events: HeartbeatEvents,
  ) {}

  static start(renew: RenewClaim, intervalMs: number, events: HeartbeatEvents): ClaimHeartbeat {
    const heartbeat = new ClaimHeartbeat(renew, intervalMs, events);
    heartbeat.schedule();
    return heartbeat;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      const held = await this.renew();
      if (!held && !this.stopped) {
        this.stopped = true;
        this.events.onLost();
        return;
      }
    } catch (err) {
      if (!this.stopped) this.events.onError(err);
    }
    this.schedule();
  }
}
