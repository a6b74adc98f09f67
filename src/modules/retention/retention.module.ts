import { Module } from '@nestjs/common';
import { PruneExpiredRowsUseCase } from './prune-expired-rows.use-case';
import { PruneJob } from './prune.job';
import { RetentionScheduler } from './retention.scheduler';

/** Deletes what is past its retention: activity, webhook records, finished jobs, Idempotency-Keys, expired sessions. */
@Module({
  providers: [PruneExpiredRowsUseCase, PruneJob, RetentionScheduler],
  exports: [PruneExpiredRowsUseCase],
})
export class RetentionModule {}
