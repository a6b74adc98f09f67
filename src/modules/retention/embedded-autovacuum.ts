import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, usesEmbeddedDatabase } from '@app/config/app-config';
import { RetentionRepository } from '@app/database/repositories/retention.repository';

/** How often it looks, as autovacuum_naptime's default. */
export const EMBEDDED_AUTOVACUUM_MS = 60_000;

/**
 * Embedded PGlite runs no autovacuum. Rows updated in place (a group on every report, an issue on every
 * webhook, the change feed's head) would leave their old versions, and those versions' index entries, for
 * ever: the tables and their indexes would grow with every report and never shrink back into use. So in
 * embedded mode this does autovacuum's work, with its default thresholds (RetentionRepository.dueForAutovacuum):
 * every minute, VACUUM (ANALYZE) the tables that need it, one at a time. PostgreSQL runs its own.
 */
@Injectable()
export class EmbeddedAutovacuum implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly retention: RetentionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!usesEmbeddedDatabase(this.config)) return;
    // A round still running when the next is due (a large table's VACUUM) makes the timer skip that one.
    this.timer = setInterval(() => void (this.round ? undefined : this.runOnce()), EMBEDDED_AUTOVACUUM_MS);
    this.timer.unref();
  }

  /** Waits for a round under way: the database closes after this. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.round;
  }

  /** One round, after the one under way if any; returns the tables it took. */
  async runOnce(): Promise<string[]> {
    while (this.round) await this.round;
    const taken: string[] = [];
    this.round = (async () => {
      try {
        for (const due of await this.retention.dueForAutovacuum()) {
          if (this.stopping) return;
          await this.retention.autovacuum(due);
          taken.push(due.table);
        }
      } catch (err) {
        this.logger.warn({ msg: 'embedded autovacuum failed', error: (err as Error).message });
      }
    })();
    try {
      await this.round;
    } finally {
      this.round = undefined;
    }
    return taken;
  }
}
