import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { inTransaction } from '../../../database/transaction';
import { JobRegistry } from '../../../queue/job-registry';
import { JobContext, JobPayloads } from '../../../queue/job-types';
import { JiraIntegrationService } from '../../settings/jira-integration.service';
import { takePendingEvents, waitForIntakes, WEBHOOK_JOB } from '../webhooks/webhook-events';
import { ApplyJiraChangeService } from './apply-jira-change.service';
import { JiraChange } from './jira-change';

declare module '../../../queue/job-types' {
  interface JobPayloads {
    /**
     * Apply the verified, de-duplicated webhook events waiting for the project (webhook_events).
     * With `change`: that one event (as queued before events waited in their own table).
     */
    'jira.webhook': { projectId: string; change?: JiraChange };
  }
}

/** Events applied per transaction: enough for any burst, few enough to hold the locks briefly. */
const BATCH = 500;
/** How long a job keeps applying while events keep coming, before it hands over to a new job. */
const RUN_MS = 1_000;
/**
 * While events keep coming, the pause after a batch that was not full: fewer, larger batches
 * (each costs a transaction of a few statements, whatever its size) for a little latency.
 * Longer in embedded mode, where PGlite shares the service's one thread with the intake.
 */
const pauseMs = (embedded: boolean) => (embedded ? 100 : 50);
/**
 * The job's outbox lock. While it runs, new events count on it (it holds the dedupe key), so if
 * its worker dies they wait for the lock to lapse: a short lock for a job that takes seconds at
 * most. Should one outlive it, a second run is harmless: batches take turns and delete what they apply.
 */
const LOCK_SECONDS = 30;

/**
 * Applies accepted webhook events in batches: each transaction takes the project's
 * oldest waiting events, applies them in arrival order (ApplyJiraChangeService.applyAll)
 * and deletes them, so an event applies exactly once. Batches of one project run one at
 * a time (an advisory lock), so arrival order holds across jobs too.
 */
@Injectable()
export class JiraWebhookJob implements OnModuleInit {
  private readonly pauseMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobRegistry,
    private readonly integrations: JiraIntegrationService,
    private readonly applier: ApplyJiraChangeService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pauseMs = pauseMs(config.databaseUrl === undefined);
  }

  onModuleInit(): void {
    this.registry.register(WEBHOOK_JOB, (payload, ctx) => this.run(payload, ctx), { lockSeconds: LOCK_SECONDS });
  }

  private async run({ projectId, change }: JobPayloads['jira.webhook'], ctx: JobContext): Promise<void> {
    if (change) {
      await ctx.complete(async (m) => {
        await this.applier.apply(m, projectId, change, await this.integrations.findSettings(projectId, m), 'jira');
      });
      return;
    }
    const until = Date.now() + RUN_MS;
    for (let n = await this.applyBatch(projectId); n > 0 && Date.now() < until; n = await this.applyBatch(projectId)) {
      if (n < BATCH) await sleep(this.pauseMs);
    }
    // Hand over (see webhooks/webhook-events.ts): later intakes queue a new job; the ones that counted on
    // this job may still be committing, so wait for them and apply what they left.
    await ctx.releaseDedupe();
    await waitForIntakes(this.dataSource, projectId);
    while ((await this.applyBatch(projectId)) === BATCH);
  }

  private applyBatch(projectId: string): Promise<number> {
    return inTransaction(this.dataSource, async (m) => {
      const { changes, settings } = await takePendingEvents(m, projectId, BATCH);
      if (changes.length > 0) await this.applier.applyAll(m, projectId, changes, settings, 'jira');
      return changes.length;
    });
  }
}
