import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { isRefusedData } from '@app/common/errors/database-errors';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { WebhookEventRepository } from '@app/database/repositories/webhook-event.repository';
import { inTransaction } from '@app/database/transaction';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { ActivityService } from '@app/modules/activity/activity.service';
import { settingsWithDefaults, StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { ApplyJiraChangeService } from './apply-jira-change.service';
import { ApplyJiraCommentsService } from './apply-jira-comments.service';
import { JiraChange } from './jira-change';

/** Events applied per transaction: enough for any burst, few enough to hold the locks briefly. */
const BATCH = 500;
/** How long a job keeps applying while events keep coming, before it hands over to a new job. */
const RUN_MS = 1_000;
/**
 * While events keep coming, the pause after a batch that was not full, in both modes. The first
 * event of a quiet project applies at once (the pause comes after its batch); under load the events
 * that arrive during the pause go together in the next batch, so the batches' fixed cost (their
 * round trips, the turn, the settings read, the commit) is paid for more events at a time. npm run
 * bench, webhooks, on PostgreSQL, two alternating runs of each: accepted events/s against the bare
 * intake 0.76 and 0.79 with no pause, 0.78 and 0.81 with 5 ms, 0.86 and 0.83 with 10 ms; accepted →
 * applied p99 under load 31-43, 51-53 and 57-61 ms. In embedded mode, where the intake and the
 * batches share one database connection, the pause also lets the intake use it (webhooks-embedded:
 * 40 ms took 2,060 events/s with p99 125 ms; 10 ms 1,740-1,880 events/s, p99 84-86 ms; none 1,620).
 */
const PAUSE_MS = 10;
/** How much of a set-aside event the activity log keeps. */
const KEPT_CHANGE_CHARS = 10_000;

/**
 * Applies accepted webhook events in batches: each transaction takes the project's
 * oldest waiting events, applies them in arrival order (ApplyJiraChangeService.applyAll)
 * and deletes them, so an event applies exactly once. Batches of one project run one at
 * a time (an advisory lock), so arrival order holds across jobs too.
 *
 * An event the database refuses (a value it cannot store) would fail its batch on every
 * retry and hold back every later event of the project. When PostgreSQL refuses a batch's
 * data, the batch is applied again one event at a time, and an event refused on its own is
 * set aside: removed, and kept in the activity log as `webhook.failed` with its content.
 */
@Injectable()
@JobHandler('jira.webhook')
export class JiraWebhookJob implements HandlesJob<'jira.webhook'> {
  private readonly logger = new Logger(JiraWebhookJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: WebhookEventRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly applier: ApplyJiraChangeService,
    private readonly comments: ApplyJiraCommentsService,
    private readonly activity: ActivityService,
    private readonly metrics: MetricsService,
  ) {}

  /** `change` is a JiraChange: only rows queued before webhook_events existed carry one. */
  handle({ projectId, change }: JobPayloads['jira.webhook'], ctx: JobContext): Promise<void> {
    return this.run({ projectId, change: change as JiraChange | undefined }, ctx);
  }

  private async run({ projectId, change }: { projectId: string; change?: JiraChange }, ctx: JobContext): Promise<void> {
    if (change) {
      await ctx.complete(async (m) => {
        const settings = await this.integrations.findSettings(projectId, m);
        await this.applier.apply(m, projectId, change, settings, 'jira');
        await this.comments.applyAll(m, projectId, [change], settings);
      });
      return;
    }
    const until = Date.now() + RUN_MS;
    for (let n = await this.applyBatch(projectId); n > 0 && Date.now() < until; n = await this.applyBatch(projectId)) {
      if (n < BATCH) await sleep(PAUSE_MS);
    }
    // Hand over (see database/repositories/webhook-event.repository.ts): later intakes queue a new
    // job; the ones that counted on this job may still be committing, so wait for them and apply
    // what they left.
    await ctx.releaseDedupe();
    await this.events.waitForIntakes(projectId);
    while ((await this.applyBatch(projectId)) === BATCH);
  }

  /** Applies up to `limit` waiting events in one transaction; returns how many it took. */
  private async applyBatch(projectId: string, limit = BATCH): Promise<number> {
    let taken: string[] = [];
    try {
      let waited: number[] = [];
      const applied = await inTransaction(this.dataSource, async (m) => {
        const { ids, changes, settings: stored, waitedSeconds, locked } = await this.events.takePending<JiraChange, Partial<StoredJiraSettings>>(m, projectId, limit);
        taken = ids;
        waited = waitedSeconds;
        const settings = stored ? settingsWithDefaults(stored) : null;
        if (changes.length > 0) {
          await this.applier.applyLocked(m, projectId, changes, locked, settings, 'jira');
          await this.comments.applyAll(m, projectId, changes, settings);
        }
        return changes.length;
      });
      for (const seconds of waited) this.metrics.webhookLag.observe(seconds);
      return applied;
    } catch (err) {
      if (!isRefusedData(err) || taken.length === 0) throw err;
      if (taken.length === 1) return this.setAside(projectId, taken[0], err);
      let done = 0;
      while (done < taken.length) {
        const n = await this.applyBatch(projectId, 1);
        if (n === 0) break; // another batch took the rest
        done += n;
      }
      return done;
    }
  }

  /** Removes an event the database refused, keeping it in the activity log; returns 1 (one event handled). */
  private async setAside(projectId: string, eventId: string, err: unknown): Promise<number> {
    const reason = (err as Error)?.message ?? String(err);
    await inTransaction(this.dataSource, async (m) => {
      const change = await this.events.takeOne<JiraChange>(m, projectId, eventId);
      if (!change) return; // another batch took it meanwhile
      await this.activity.record(m, {
        projectId, kind: 'webhook.failed', source: 'jira',
        detail: `Jira event for issue ${change.issueKey ?? change.issueId} was set aside, not applied: the database refused it (${reason})`,
        // As text: the value the database refused may be in it (a jsonb value could be refused again).
        data: { change: JSON.stringify(change).slice(0, KEPT_CHANGE_CHARS) },
      });
    });
    this.logger.error({ msg: 'webhook event set aside: the database refused it', projectId, eventId, err: reason });
    return 1;
  }
}
