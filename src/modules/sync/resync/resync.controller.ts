import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ResyncReportDto } from './dto/resync-report.dto';
import { ResyncReport } from './resync.service';
import { RunResyncUseCase } from './run-resync.use-case';

@ApiTags('jira integration')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/integrations/jira/resync')
export class ResyncController {
  constructor(private readonly runResync: RunResyncUseCase) {}

  /** Reconciles now and reports how many linked issues were read and how many group changes applied. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: ResyncReportDto })
  @ApiErrors(404, 409)
  run(@Param('key') key: string): Promise<ResyncReport> {
    return this.runResync.execute(key);
  }
}
