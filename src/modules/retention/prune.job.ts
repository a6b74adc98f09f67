import { Injectable } from '@nestjs/common';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { HandlesJob } from '@app/queue/job-types';
import { PruneExpiredRowsUseCase } from './prune-expired-rows.use-case';

/**
 * One pruning run. It is an outbox job with a fixed dedupe key, so among all processes one run at a
 * time exists and runs: the claim (renewed while it runs) keeps every other worker off it.
 */
@Injectable()
@JobHandler('retention.prune')
export class PruneJob implements HandlesJob<'retention.prune'> {
  constructor(private readonly prune: PruneExpiredRowsUseCase) {}

  async handle(): Promise<void> {
    await this.prune.execute();
  }
}
