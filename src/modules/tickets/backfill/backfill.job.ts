import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JiraRunRepository } from '@app/database/repositories/jira-run.repository';
import { ProjectRepository } from '@app/database/repositories/project.repository';
import { inTransaction } from '@app/database/transaction';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { PermanentJobError } from '@app/queue/job-errors';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { BULK_CREATE_MAX } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { connectionOf, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { classifyJiraFailure, isWait, jiraErrorDetail } from '@app/modules/tickets/creation/jira-failure';
import { BackfillBatch } from './backfill-batch';
import { RunSummary } from './run-summary';

/**
 * Works through a backfill's groups, one bulk create of up to 50 at a time, until none is queued or the run was
 * cancelled. Progress lives in the database, so a retry (rate limit, lost answer, crash) carries on where it was.
 */
@Injectable()
@JobHandler('jira.backfill')
export class BackfillJob implements HandlesJob<'jira.backfill'> {
  private readonly logger = new Logger('Backfill');

  constructor(
    private readonly runs: JiraRunRepository,
    private readonly projects: ProjectRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly batch: BackfillBatch,
    private readonly summary: RunSummary,
  ) {}

  handle = async (payload: JobPayloads['jira.backfill'], ctx: JobContext): Promise<void> => {
    const run = await this.runs.findById(payload.runId);
    if (!run || run.status !== 'running') return ctx.complete(async () => undefined);
    try {
      // Inside the try: a token that cannot be decrypted ends the run as failed instead of leaving it running.
      const integration = await this.integrations.find(run.projectId);
      if (!integration || !integration.settings.enabled) {
        return await this.end(ctx, run.id, 'failed', 'the Jira integration is not configured or disabled');
      }
      const client = this.clients.forIntegration(integration, () => connectionOf(integration.settings, integration.secret, integration.flavour));
      const project = await this.projects.getById(run.projectId);
      for (;;) {
        const current = await this.runs.findById(run.id);
        if (current?.status !== 'running') return await ctx.complete(async () => undefined); // cancelled
        const ids = await this.runs.queuedGroupIds(run.id, BULK_CREATE_MAX);
        if (ids.length === 0) return await this.end(ctx, run.id, 'done', null);
        await this.batch.run(run.id, ids, integration, client, project);
      }
    } catch (err) {
      const next = classifyJiraFailure(err);
      if (isWait(next) || !(next instanceof PermanentJobError || ctx.isLastAttempt)) throw next;
      this.logger.warn({ msg: 'backfill stopped', run: run.id, error: (err as Error).message });
      return this.end(ctx, run.id, 'failed', jiraErrorDetail(err).message);
    }
  };

  private async end(ctx: JobContext, runId: string, status: 'done' | 'failed', error: string | null): Promise<void> {
    await ctx.complete(async (m) => {
      if (await this.runs.finish(m, runId, status, error)) await this.summary.record(m, runId);
    });
  }
}

/** Cancels a running backfill or import (the job stops before its next batch). */
export async function cancelRun(dataSource: DataSource, runs: JiraRunRepository, summary: RunSummary, runId: string): Promise<void> {
  await inTransaction(dataSource, async (m) => {
    if (await runs.finish(m, runId, 'cancelled')) await summary.record(m, runId);
  });
}
