import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { PreviewRequestDto } from '@app/modules/tickets/preview/dto/preview-request.dto';
import { PreviewResponseDto } from '@app/modules/tickets/preview/dto/preview-response.dto';
import { PreviewIssueUseCase } from './preview-issue.use-case';

@ApiTags('jira integration')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/integrations/jira')
export class PreviewController {
  constructor(private readonly preview: PreviewIssueUseCase) {}

  /** The Jira issue fields a group would get with the saved settings; nothing is created. */
  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: PreviewResponseDto })
  @ApiErrors(404, 409)
  post(@Param('key') key: string, @Body() dto: PreviewRequestDto): Promise<PreviewResponseDto> {
    return this.preview.execute(key, dto);
  }
}
