import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { GroupHourlyCountRepository, HOURLY_COUNT_WINDOW_HOURS } from '@app/database/repositories/group-hourly-count.repository';
import { GroupOccurrenceRepository } from '@app/database/repositories/group-occurrence.repository';
import { RetentionRepository } from '@app/database/repositories/retention.repository';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { HandlesJob } from '@app/queue/job-types';
import { RetainedTable, retainedTables } from './retention-policy';

/**
 * Rows one statement deletes at most: a statement takes tens of milliseconds on PostgreSQL, so the
 * locks it holds never stall ingestion, and a run of a million rows is a few hundred statements.
 */
export const PRUNE_BATCH = 5_000;
/** Between two batches: ingestion's statements (in embedded mode, queued on the one connection) go first. */
const PAUSE_MS = 5;

/**
 * One pruning run: every table's rows past their retention, batch after batch, counted (metrics and one log
 * line). It is an outbox job with a fixed dedupe key (RetentionScheduler), so among all processes one run at a
 * time exists and runs: the claim, renewed while it runs, keeps every other worker off it. Deleting expired
 * rows again is harmless, so a run cut short is simply run again.
 */
@Injectable()
@JobHandler('retention.prune')
export class PruneJob implements HandlesJob<'retention.prune'>, BeforeApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private readonly tables: RetainedTable[];
  /** Set when the process shuts down: a run ends after its current batch, so it never holds up the drain. */
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly retention: RetentionRepository,
    private readonly occurrences: GroupOccurrenceRepository,
    private readonly hourlyCounts: GroupHourlyCountRepository,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tables = retainedTables(config);
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async handle(): Promise<void> {
    const started = Date.now();
    const summary: Record<string, number> = {};
    for (const t of this.tables) {
      if (this.stopping) break;
      const deleted = await this.pruneTable(t);
      if (deleted === 0) continue;
      summary[t.table] = deleted;
      if (!this.stopping) await this.vacuum(t.table);
    }
    const total = Object.values(summary).reduce((a, b) => a + b, 0);
    const line = { msg: 'pruned expired rows', total, tables: summary, ms: Date.now() - started, ...(this.stopping ? { cut: 'shutdown' } : {}) };
    if (total > 0) this.logger.log(line);
    else this.logger.debug(line);
  }

  /**
   * The deletions stand without it: a VACUUM that fails (the statement timeout on a very large table) is told and
   * left to autovacuum on PostgreSQL, or to the next run.
   */
  private async vacuum(table: RetainedTable['table']): Promise<void> {
    try {
      await this.retention.vacuum(table);
    } catch (err) {
      this.logger.warn({ msg: 'could not vacuum after pruning', table, error: (err as Error).message });
    }
  }

  private pruneBatch(table: RetainedTable['table'], days: number): Promise<number> {
    switch (table) {
      case 'group_occurrences':
        return this.occurrences.pruneExpired(this.dataSource.manager, PRUNE_BATCH);
      case 'group_hourly_counts':
        return this.hourlyCounts.deleteHourlyCountsBefore(new Date(Date.now() - HOURLY_COUNT_WINDOW_HOURS * 3600_000), PRUNE_BATCH);
      default:
        return this.retention.pruneBatch(table, days, PRUNE_BATCH);
    }
  }

  /** Batches until one comes back short (or the process stops): what is left waits for the next run. */
  private async pruneTable({ table, days }: RetainedTable): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.pruneBatch(table, days);
      if (n > 0) this.metrics.rowsPruned.inc({ table }, n);
      total += n;
      if (n < PRUNE_BATCH || this.stopping) return total;
      await sleep(PAUSE_MS);
    }
  }
}
