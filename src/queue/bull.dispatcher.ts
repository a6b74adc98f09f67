import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bull';
import { Dispatcher, DueRow } from './dispatcher';
import { OutboxRunner } from './outbox-runner.service';

export const OUTBOX_QUEUE = 'outbox';

export interface OutboxJobData {
  outboxId: string;
}

const REDIS_TIMEOUT_MS = 3_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Production mode: each due row becomes a Bull job whose jobId is the outbox id
 * (with its run number), so offering a row twice never queues it twice. Workers (ROLE=worker|all) run
 * them through the same OutboxRunner as embedded mode, from the end of start-up on: once
 * the modules are initialised, JobRegistry has checked that every kind has its handler.
 */
export class BullDispatcher implements Dispatcher, OnApplicationBootstrap {
  private readonly logger = new Logger('Queue');
  private closing = false;

  constructor(
    private readonly queue: Queue<OutboxJobData>,
    private readonly markQueued: (ids: string[]) => Promise<void>,
    private readonly worker?: { runner: OutboxRunner; concurrency: number },
  ) {}

  onApplicationBootstrap(): void {
    // Bull reports a lost Redis connection and failed fetches as 'error' events; unheard, they would go to stderr.
    this.queue.on('error', (err: Error) => {
      if (!this.closing) this.logger.warn({ msg: 'queue error', error: err.message });
    });
    if (this.worker) this.startWorker(this.worker.runner, this.worker.concurrency);
  }

  private startWorker(runner: OutboxRunner, concurrency: number): void {
    this.catchWorkerNameFailure();
    const processing = this.queue.process(concurrency, async (job) => {
      try {
        await runner.run(job.data.outboxId);
      } catch (err) {
        // A database outage: the row stays due (or its lock expires) and the relay offers it again.
        this.logger.warn({ msg: 'job run interrupted', outboxId: job.data.outboxId, error: (err as Error).message });
      }
    });
    // Closing the queue at shutdown can end Bull's fetch loop with "Connection is closed": expected then, and never
    // an unhandled rejection. At any other time the worker has stopped taking jobs, which someone must hear about.
    processing.catch((err: Error) => {
      if (!this.closing) this.logger.error({ msg: 'job worker stopped', error: err.message });
    });
  }

  /**
   * Bull's process() names its blocking Redis connection (CLIENT SETNAME) and neither awaits nor catches the
   * answer: a queue closed before it came (a stop right after a start) left an unhandled rejection, which ends
   * a Node process. The name only labels the connection in CLIENT LIST, so a failure is logged, not fatal.
   */
  private catchWorkerNameFailure(): void {
    const queue = this.queue as Queue<OutboxJobData> & { setWorkerName(): Promise<void> };
    const setWorkerName = queue.setWorkerName.bind(queue);
    queue.setWorkerName = () =>
      setWorkerName().catch((err: Error) => {
        if (!this.closing) this.logger.warn({ msg: 'could not name the worker connection', error: err.message });
      });
  }

  async dispatch(rows: DueRow[]): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    try {
      await withTimeout(
        // jobId = outbox id and run number: offering a row twice never queues it twice, while
        // a retry is queued at once even if the finished run's Bull job is not removed yet.
        this.queue.addBulk(rows.map((r) => ({ data: { outboxId: r.id }, opts: { jobId: `${r.id}:${r.attempts}`, removeOnComplete: true, removeOnFail: true } }))),
        REDIS_TIMEOUT_MS,
        'queue add',
      );
      await this.markQueued(ids);
    } catch (err) {
      // Redis down: rows stay pending in PostgreSQL and are offered again later.
      this.logger.warn({ msg: 'could not hand jobs to Redis', count: ids.length, error: (err as Error).message });
    }
  }

  onReconnect(listener: () => void): void {
    // ioredis says 'ready' on every connect; only one that follows a lost connection counts.
    let lost = false;
    const client = this.queue.client;
    client.on('close', () => (lost = true));
    client.on('ready', () => {
      if (!lost) return;
      lost = false;
      listener();
    });
  }

  async health(): Promise<'up' | 'down'> {
    try {
      const pong = await withTimeout(this.queue.client.ping(), 1_000, 'redis ping');
      return pong === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  async drain(): Promise<void> {
    // Waits for the jobs this process is running, then disconnects.
    this.closing = true;
    await this.queue.close().catch(() => undefined);
  }
}
