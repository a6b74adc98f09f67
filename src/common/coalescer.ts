interface Waiting<T, R> {
  item: T;
  resolve(r: R): void;
  reject(err: unknown): void;
}

interface Lane<C, T, R> {
  /** What every statement of the lane needs besides its items (the same for every request of the key). */
  context: C;
  running: number;
  waiting: Waiting<T, R>[];
}

export interface CoalescerOptions<T> {
  /** Statements of one lane running at once; requests arriving meanwhile wait and share the next one. */
  maxRunning: number;
  /** Items in one statement. */
  maxBatch: number;
  /** Items with the same identity never share a statement (they wait for the next one, in order). */
  identity(item: T): string;
  /**
   * Whether a shared statement's failure may be one item's doing, so that each item is tried
   * again alone (default: always). Not for failures every item would meet alike (the database
   * is down): retrying them one by one would only make each request wait longer for its answer.
   */
  retryAlone?(err: unknown): boolean;
  /**
   * When a statement ends and the next one starts, answer its requests on the next turn of the event
   * loop (default: at once). Starting a statement is not sending it: the pool hands out its connection
   * on a later tick (pg-pool's process.nextTick), which runs only after every microtask queued before
   * it, the answers' included; deferred, they let it go out first. Worth it where the database waits
   * for the next statement (embedded PGlite, one connection), not where this thread is the limit.
   */
  answerNextTurn?: boolean;
}

/**
 * Concurrent requests of one lane (say, single reports of one project and token) share
 * statements: up to `maxRunning` statements of a lane run at once, and the requests that
 * arrive meanwhile go out together in the next one, as a database's group commit does. A
 * quiet lane adds no wait; a busy one pays the statement, its round trip and its commit
 * once per batch instead of once per request, which is most of what a small write costs.
 *
 * Each request still gets the outcome of its own item: two items with the same identity
 * (reports of one fingerprint, deliveries of one event) never share a statement, so a
 * repeat waits for the next statement, in order. When a shared statement fails, each of
 * its requests runs again alone (unless `retryAlone` says the failure is not one item's),
 * so one request's failure is never another's.
 */
export class Coalescer<C, T, R> {
  private readonly lanes = new Map<string, Lane<C, T, R>>();

  constructor(
    private readonly run: (context: C, items: T[]) => Promise<R>,
    private readonly options: CoalescerOptions<T>,
  ) {}

  /** `key` names the lane; requests of one key must have the same `context`. */
  submit(key: string, context: C, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) this.lanes.set(key, (lane = { context, running: 0, waiting: [] }));
      lane.waiting.push({ item, resolve, reject });
      this.pump(key, lane);
    });
  }

  /** Starts the statements the lane has room and requests for; returns how many it started. */
  private pump(key: string, lane: Lane<C, T, R>): number {
    let started = 0;
    while (lane.running < this.options.maxRunning && lane.waiting.length > 0) {
      const batch = this.take(lane);
      lane.running++;
      started++;
      void this.runBatch(lane, batch, () => {
        lane.running--;
        if (lane.running === 0 && lane.waiting.length === 0) {
          this.lanes.delete(key);
          return 0;
        }
        return this.pump(key, lane);
      });
    }
    return started;
  }

  /** The oldest waiting requests, at most one per identity. */
  private take(lane: Lane<C, T, R>): Waiting<T, R>[] {
    const batch: Waiting<T, R>[] = [];
    const rest: Waiting<T, R>[] = [];
    const seen = new Set<string>();
    for (const w of lane.waiting) {
      const id = this.options.identity(w.item);
      if (batch.length < this.options.maxBatch && !seen.has(id)) {
        seen.add(id);
        batch.push(w);
      } else {
        rest.push(w);
      }
    }
    lane.waiting = rest;
    return batch;
  }

  /**
   * Runs a batch; `done` frees its place in the lane, once, before or after the batch is answered, and returns
   * how many statements that started.
   */
  private async runBatch(lane: Lane<C, T, R>, batch: Waiting<T, R>[], done: () => number): Promise<void> {
    let r: R;
    try {
      r = await this.run(lane.context, batch.map((w) => w.item));
    } catch (err) {
      try {
        await this.failed(lane, batch, err);
      } finally {
        done();
      }
      return;
    }
    // The next statement starts before these requests are answered: the database works on it
    // while this thread writes the answers, where it would otherwise wait for them.
    if (done() > 0 && this.options.answerNextTurn) setImmediate(() => answer(batch, r));
    else answer(batch, r);
  }

  private async failed(lane: Lane<C, T, R>, batch: Waiting<T, R>[], err: unknown): Promise<void> {
    if (batch.length === 1 || this.options.retryAlone?.(err) === false) {
      for (const w of batch) w.reject(err);
      return;
    }
    await Promise.all(
      batch.map((w) =>
        this.run(lane.context, [w.item]).then(
          (r) => w.resolve(r),
          (e) => w.reject(e),
        ),
      ),
    );
  }
}

function answer<T, R>(batch: Waiting<T, R>[], r: R): void {
  for (const w of batch) w.resolve(r);
}
