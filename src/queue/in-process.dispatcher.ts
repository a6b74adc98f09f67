import { Logger } from '@nestjs/common';
import { Dispatcher, DueRow } from './dispatcher';
import { OutboxRunner } from './outbox-runner.service';

/** Embedded mode: runs jobs in this process, at most `concurrency` at a time. */
export class InProcessDispatcher implements Dispatcher {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private draining = false;
  private readonly logger = new Logger('Outbox');

  constructor(
    private readonly runner: OutboxRunner | undefined,
    private readonly concurrency: number,
    private readonly onSlotFree: () => void,
  ) {}

  async dispatch(rows: DueRow[]): Promise<void> {
    if (!this.runner || this.draining) return;
    for (const { id } of rows) {
      if (this.inFlight.size >= this.concurrency) break;
      if (this.inFlight.has(id)) continue;
      const p = this.runner
        .run(id)
        // A database outage: the row stays due (or its lock expires) and is offered again.
        .catch((err: Error) => this.logger.warn({ msg: 'job run interrupted', outboxId: id, error: err.message }))
        .finally(() => {
          this.inFlight.delete(id);
          this.onSlotFree();
        });
      this.inFlight.set(id, p);
    }
  }

  async health(): Promise<'embedded'> {
    return 'embedded';
  }

  async drain(): Promise<void> {
    this.draining = true;
    await Promise.all([...this.inFlight.values()]);
  }
}
