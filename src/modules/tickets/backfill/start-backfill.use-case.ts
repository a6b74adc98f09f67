import { Injectable } from '@nestjs/common';
import { JiraRunRepository } from '@app/database/repositories/jira-run.repository';
import { BACKFILL_MAX_GROUPS, BackfillRequestDto, JiraRunDto } from './dto/jira-run.dto';
import { runView } from './jira-run-view';
import { RunStarter } from './start-run';

/** Starts a backfill: every matching group without an issue gets one, created in bulk by the jira.backfill job. */
@Injectable()
export class StartBackfillUseCase {
  constructor(
    private readonly starter: RunStarter,
    private readonly runs: JiraRunRepository,
  ) {}

  async execute(projectId: string, dto: BackfillRequestDto): Promise<JiraRunDto> {
    const filter = { state: dto.state, q: dto.q, minCount: dto.minCount, limit: dto.limit ?? BACKFILL_MAX_GROUPS };
    const run = await this.starter.start(projectId, 'backfill', filter, async (m, row) => {
      await this.runs.takeBackfillGroups(m, row.id, projectId, filter);
    });
    return runView(run);
  }
}
