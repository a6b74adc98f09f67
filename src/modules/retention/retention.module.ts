import { Module } from '@nestjs/common';
import { PruneJob } from './prune.job';
import { RetentionScheduler } from './retention.scheduler';

/** Deletes what is past its retention: activity, webhook records, finished jobs, Idempotency-Keys, expired sessions. */
@Module({
  providers: [PruneJob, RetentionScheduler],
})
export class RetentionModule {}
