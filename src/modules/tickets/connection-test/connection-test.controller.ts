import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ConnectionTestResultDto } from '@app/modules/tickets/connection-test/dto/connection-test-result.dto';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { RunConnectionTestUseCase } from './run-connection-test.use-case';

@ApiTags('jira integration')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/integrations/jira')
export class ConnectionTestController {
  constructor(private readonly runTest: RunConnectionTestUseCase) {}

  /**
   * Tries the saved settings, or unsaved ones from the body (what it leaves out, the token
   * included, comes from the saved settings). Always 200 once the input is valid: a Jira
   * failure is a failed check, not an HTTP error.
   */
  @Post('test')
  @HttpCode(200)
  @ApiBody({ type: PutJiraSettingsDto, required: false, description: 'Unsaved settings to try (the settings PUT body)' })
  @ApiOkResponse({ type: ConnectionTestResultDto })
  @ApiErrors(404, 409)
  test(@Param('key') key: string, @Body() body: unknown): Promise<ConnectionTestResultDto> {
    // Validated by the use case with the PUT's DTO, once laid over the saved settings.
    return this.runTest.execute(key, body);
  }
}
