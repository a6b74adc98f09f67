import { Injectable } from '@nestjs/common';
import { JiraRunRepository } from '@app/database/repositories/jira-run.repository';
import { ProjectRepository } from '@app/database/repositories/project.repository';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { BULK_CREATE_MAX } from '@app/modules/jira/client';
import { BackfillBatch } from './backfill-batch';
import { RunJobRunner } from './run-job';

/**
 * Works through a backfill's groups, one bulk create of up to 50 at a time, until none is queued or the run was
 * cancelled. Progress lives in the database, so a retry (rate limit, lost answer, crash) carries on where it was.
 */
@Injectable()
@JobHandler('jira.backfill')
export class BackfillJob implements HandlesJob<'jira.backfill'> {
  constructor(
    private readonly runs: JiraRunRepository,
    private readonly projects: ProjectRepository,
    private readonly batch: BackfillBatch,
    private readonly runner: RunJobRunner,
  ) {}

  handle = (payload: JobPayloads['jira.backfill'], ctx: JobContext): Promise<void> =>
    this.runner.run(payload.runId, ctx, async (run, integration, client) => {
      const project = await this.projects.getById(run.projectId);
      for (;;) {
        if ((await this.runs.findById(run.id))?.status !== 'running') return 'cancelled';
        const ids = await this.runs.queuedGroupIds(run.id, BULK_CREATE_MAX);
        if (ids.length === 0) return 'done';
        await this.batch.run(run.id, ids, integration, client, project);
      }
    });
}
