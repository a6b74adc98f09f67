import { Injectable, Logger } from '@nestjs/common';
import { JiraRunRepository, JiraRunRow } from '@app/database/repositories/jira-run.repository';
import { PermanentJobError } from '@app/queue/job-errors';
import { JobContext } from '@app/queue/job-types';
import { JiraClient } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { JiraIntegration } from '@app/modules/jira-settings/jira-settings';
import { classifyJiraFailure, isWait, jiraErrorDetail } from '@app/modules/tickets/creation/jira-failure';
import { RunSummary } from './run-summary';

/** What a run's work reports: it went through everything (`done`), or it saw the run cancelled. */
export type RunWorkEnd = 'done' | 'cancelled';

export type RunWork = (run: JiraRunRow, integration: JiraIntegration, client: JiraClient) => Promise<RunWorkEnd>;

/**
 * What a backfill's and an import's job do around their work: nothing once the run has ended, the run failed
 * without an enabled integration, the Jira client of the integration, and the run ended as its work ends. A Jira
 * failure is retried as any job's; a permanent one (or the last attempt) ends the run as failed.
 */
@Injectable()
export class RunJobRunner {
  private readonly logger = new Logger('JiraRuns');

  constructor(
    private readonly runs: JiraRunRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly summary: RunSummary,
  ) {}

  async run(runId: string, ctx: JobContext, work: RunWork): Promise<void> {
    const run = await this.runs.findById(runId);
    if (!run || run.status !== 'running') return ctx.complete(async () => undefined);
    let end: RunWorkEnd;
    try {
      // Inside the try: a token that cannot be decrypted ends the run as failed instead of leaving it running.
      const integration = await this.integrations.find(run.projectId);
      if (!integration || !integration.settings.enabled) {
        return await this.end(ctx, run.id, 'failed', 'the Jira integration is not configured or disabled');
      }
      const client = integrationClient(this.clients, integration);
      end = await work(run, integration, client);
    } catch (err) {
      const next = classifyJiraFailure(err);
      if (isWait(next) || !(next instanceof PermanentJobError || ctx.isLastAttempt)) throw next;
      this.logger.warn({ msg: `${run.kind} stopped`, run: run.id, error: (err as Error).message });
      return this.end(ctx, run.id, 'failed', jiraErrorDetail(err).message);
    }
    if (end === 'cancelled') return ctx.complete(async () => undefined);
    return this.end(ctx, run.id, 'done', null);
  }

  private async end(ctx: JobContext, runId: string, status: 'done' | 'failed', error: string | null): Promise<void> {
    await ctx.complete((m) => this.summary.finish(m, runId, status, error));
  }
}
