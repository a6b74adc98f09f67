import { Module } from '@nestjs/common';
import { EmbeddedAutovacuum } from './embedded-autovacuum';
import { PruneJob } from './prune.job';
import { RetentionScheduler } from './retention.scheduler';

/**
 * Deletes what is past its retention: activity, webhook records, finished jobs, Idempotency-Keys, expired sessions;
 * and in embedded mode vacuums as PostgreSQL's autovacuum would.
 */
@Module({
  providers: [PruneJob, RetentionScheduler, EmbeddedAutovacuum],
})
export class RetentionModule {}
