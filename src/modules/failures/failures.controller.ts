import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { FailureResponseDto, RetryFailuresResponseDto } from './dto/failure-response.dto';
import { FailuresService } from './failures.service';
import { RetryAllFailuresUseCase } from './retry-all-failures.use-case';
import { RetryFailureUseCase } from './retry-failure.use-case';

/** Failed Jira work of a project, and running it again once the cause is fixed (admin token only). */
@ApiTags('jira failures')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/integrations/jira/failures')
export class FailuresController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly failures: FailuresService,
    private readonly retryOne: RetryFailureUseCase,
    private readonly retryAll: RetryAllFailuresUseCase,
  ) {}

  /** Most recent first, at most 500. */
  @Get()
  @ApiOkResponse({ type: [FailureResponseDto] })
  @ApiErrors(404)
  async list(@Param('key') key: string): Promise<FailureResponseDto[]> {
    const project = await this.projects.getByKey(key);
    return this.failures.list(project.id);
  }

  /** Every failed job queued again (each once); 202 as the work runs in the background. */
  @Post('retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RetryFailuresResponseDto })
  @ApiErrors(404)
  retry(@Param('key') key: string): Promise<RetryFailuresResponseDto> {
    return this.retryAll.execute(key);
  }

  /** One failed job queued again; 409 when it is not failed (already retried, running, done) or the same work is queued. */
  @Post(':id/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RetryFailuresResponseDto })
  @ApiErrors(404, 409)
  retryJob(@Param('key') key: string, @Param('id') id: string): Promise<RetryFailuresResponseDto> {
    return this.retryOne.execute(key, id);
  }
}
