import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Queue } from 'bull';
import { AppConfig, runsWorkers } from '@app/config/app-config';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { BullDispatcher, OUTBOX_QUEUE, OutboxJobData } from './bull.dispatcher';
import { DISPATCHER } from './dispatcher';
import { InProcessDispatcher } from './in-process.dispatcher';
import { JobGates } from './job-gates';
import { JobRegistry } from './job-registry';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRunner } from './outbox-runner.service';
import { OutboxService } from './outbox.service';

/**
 * The transactional outbox and its dispatch. With REDIS_URL, rows go to Bull and
 * worker processes run them; without it, this process runs them. ROLE decides
 * whether this process runs jobs at all.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const worker = runsWorkers(config);
    const common: Provider[] = [JobRegistry, JobGates, OutboxService, OutboxRunner, OutboxRelay];
    if (!config.redisUrl) {
      const dispatcher: Provider = {
        provide: DISPATCHER,
        inject: [OutboxRunner, OutboxService],
        useFactory: (runner: OutboxRunner, outbox: OutboxService) =>
          new InProcessDispatcher(worker ? runner : undefined, config.workerConcurrency, () => outbox.kick()),
      };
      return { module: QueueModule, imports: [DiscoveryModule], providers: [...common, dispatcher], exports: [JobRegistry, JobGates, OutboxService, DISPATCHER] };
    }
    const dispatcher: Provider = {
      provide: DISPATCHER,
      inject: [getQueueToken(OUTBOX_QUEUE), OutboxRepository, OutboxRunner],
      useFactory: (queue: Queue<OutboxJobData>, outboxRows: OutboxRepository, runner: OutboxRunner) =>
        new BullDispatcher(queue, (ids) => outboxRows.markQueued(ids), worker ? { runner, concurrency: config.workerConcurrency } : undefined),
    };
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        // Bull's default reconnect backoff grows to 20 s and a failed worker loop waits 5 s more:
        // after a Redis outage jobs resumed 13-25 s late (the fault suite measured it). Retry
        // every ≤ 1 s instead.
        BullModule.forRoot({
          url: config.redisUrl,
          redis: { retryStrategy: (attempt: number) => Math.min(attempt * 200, 1_000) },
          prefix: config.queuePrefix,
          settings: { retryProcessDelay: 1_000 },
        }),
        // Bull renews a running job's lock every lockDuration/2; a crashed worker's job
        // returns to the queue within lockDuration + stalledInterval.
        BullModule.registerQueue({ name: OUTBOX_QUEUE, settings: { lockDuration: 15_000, stalledInterval: 5_000 } }),
      ],
      providers: [...common, dispatcher],
      exports: [JobRegistry, JobGates, OutboxService, DISPATCHER],
    };
  }
}
