import { Injectable } from '@nestjs/common';
import { badRequest } from '@app/common/errors/domain-error';
import { captureGroupCount, regexProblem } from '@app/modules/conditions/bounded-regex';
import { ImportRequestDto, JiraRunDto } from '@app/modules/tickets/backfill/dto/jira-run.dto';
import { runView } from '@app/modules/tickets/backfill/jira-run-view';
import { RunStarter } from '@app/modules/tickets/backfill/start-run';

/** Starts an import: the jira.import job links the issues the JQL finds to the groups their fingerprint names. */
@Injectable()
export class StartImportUseCase {
  constructor(
    private readonly starter: RunStarter,
  ) {}

  async execute(projectId: string, dto: ImportRequestDto): Promise<JiraRunDto> {
    const problem = regexProblem(dto.match.pattern);
    if (problem) throw badRequest('INVALID_PATTERN', `match.pattern ${problem}`, 'match.pattern');
    const groups = captureGroupCount(dto.match.pattern);
    if (groups !== 1) throw badRequest('INVALID_PATTERN', `match.pattern must have exactly one capture group (the fingerprint), not ${groups}`, 'match.pattern');
    const params = { jql: dto.jql, match: { from: dto.match.from, pattern: dto.match.pattern } };
    return runView(await this.starter.start(projectId, 'import', params, async () => undefined));
  }
}
