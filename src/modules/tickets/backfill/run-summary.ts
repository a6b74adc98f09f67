import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JiraRunRepository, JiraRunStatus } from '@app/database/repositories/jira-run.repository';
import { ActivityService } from '@app/modules/activity/activity.service';

const VERBS = { backfill: 'created', import: 'linked' } as const;

/** The activity entry of a run that ended, with its counts; the groups a backfill left queued stop waiting. */
@Injectable()
export class RunSummary {
  constructor(
    private readonly runs: JiraRunRepository,
    private readonly activity: ActivityService,
  ) {}

  /** Ends a running run (done, failed, cancelled) with its summary, in `m`'s transaction; nothing when it had ended. */
  async finish(m: EntityManager, runId: string, status: Exclude<JiraRunStatus, 'running'>, error: string | null = null): Promise<void> {
    if (await this.runs.finish(m, runId, status, error)) await this.record(m, runId);
  }

  private async record(m: EntityManager, runId: string): Promise<void> {
    const run = await this.runs.findById(runId, m);
    if (!run) return;
    if (run.kind === 'backfill') await this.runs.releaseQueued(m, runId);
    const name = run.kind === 'backfill' ? 'Backfill' : 'Import';
    const counts = `${run.done} ${VERBS[run.kind]}, ${run.failed} failed, ${run.skipped} skipped of ${run.total}`;
    await this.activity.record(m, {
      projectId: run.projectId, kind: `${run.kind}.${run.status}`, source: 'worker',
      detail: `${name} ${run.status}: ${counts}${run.error ? ` (${run.error})` : ''}`,
      data: { run: run.id, status: run.status, total: run.total, done: run.done, failed: run.failed, skipped: run.skipped },
    });
  }
}
