import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@app/database/transaction';
import { notFound } from '@app/common/errors/domain-error';
import { JiraRunKind, JiraRunRepository } from '@app/database/repositories/jira-run.repository';
import { JiraRunDto } from './dto/jira-run.dto';
import { runView } from './jira-run-view';
import { RunSummary } from './run-summary';

/** Reads a backfill's or import's progress, and cancels it. */
@Injectable()
export class RunProgressUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: JiraRunRepository,
    private readonly summary: RunSummary,
  ) {}

  async get(projectId: string, kind: JiraRunKind, id: string): Promise<JiraRunDto> {
    const run = await this.runs.find(projectId, id, kind);
    if (!run) throw notFound('RUN_NOT_FOUND', `no ${kind} '${id}' in this project`);
    return runView(run);
  }

  /** The project's running run of a kind, else its last one; null when there was none. */
  async latest(projectId: string, kind: JiraRunKind): Promise<JiraRunDto | null> {
    const run = await this.runs.latest(projectId, kind);
    return run ? runView(run) : null;
  }

  /** Cancels a running run (the job stops before its next batch); an ended run is answered as it is. */
  async cancel(projectId: string, kind: JiraRunKind, id: string): Promise<JiraRunDto> {
    await this.get(projectId, kind, id);
    await inTransaction(this.dataSource, (m) => this.summary.finish(m, id, 'cancelled'));
    return this.get(projectId, kind, id);
  }
}
