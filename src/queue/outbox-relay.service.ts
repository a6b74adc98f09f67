import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { Dispatcher, DISPATCHER, DueRow } from './dispatcher';
import { OutboxService } from './outbox.service';

const IDLE_POLL_MS = 1_000;
const BUSY_POLL_MS = 100;
const BATCH = 200;
/**
 * A row handed to Redis but not started after this long is offered again (Redis may have lost
 * it without this process seeing the connection drop). A drop it sees re-offers them at once.
 */
const REQUEUE_AFTER_SECONDS = 60;

/**
 * Moves due outbox rows to the dispatcher: on a kick right after a commit, and by
 * polling, which also picks up rows left behind by a crash (pending rows that were
 * never handed over, processing rows whose lock expired, queued rows Redis lost).
 * When the dispatcher's Redis connection comes back, every row handed to it is offered
 * again: a restarted Redis may have lost them, and a job it still holds is not queued
 * twice (the same jobId).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly rows: OutboxRepository,
    private readonly outbox: OutboxService,
    @Inject(DISPATCHER) private readonly dispatcher: Dispatcher,
  ) {}

  onApplicationBootstrap(): void {
    this.outbox.onKick(() => this.kick());
    this.dispatcher.onReconnect?.(() => void this.reofferQueued());
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.dispatcher.drain();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.again = false;
    let found = 0;
    try {
      const rows = await this.dueRows();
      found = rows.length;
      await this.dispatcher.dispatch(rows);
    } catch (err) {
      this.logger.warn({ msg: 'outbox poll failed', error: (err as Error).message });
    } finally {
      this.running = false;
      this.schedule(this.again ? 0 : found > 0 ? BUSY_POLL_MS : IDLE_POLL_MS);
    }
  }

  /** Rows handed to the queue become due again (pending), for the next poll. */
  private async reofferQueued(): Promise<void> {
    try {
      const n = await this.rows.requeueQueued();
      if (n > 0) this.logger.warn({ msg: 'queue reconnected: offering again the jobs it was given', count: n });
      this.kick();
    } catch (err) {
      // The database is down too: the queued rows come back after REQUEUE_AFTER_SECONDS.
      this.logger.warn({ msg: 'could not offer queued jobs again', error: (err as Error).message });
    }
  }

  private dueRows(): Promise<DueRow[]> {
    return this.rows.findDue(BATCH, REQUEUE_AFTER_SECONDS);
  }
}
