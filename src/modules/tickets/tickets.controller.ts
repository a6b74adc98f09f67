import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { GroupTicketDto, TicketPendingDto } from '@app/modules/tickets/dto/ticket-response.dto';
import { Response } from 'express';
import { TicketView } from '@app/database/repositories/jira-issue.rows';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { TicketRequestDto } from '@app/modules/tickets/dto/ticket-request.dto';
import { LinkExistingIssueUseCase } from '@app/modules/tickets/linking/link-existing-issue.use-case';
import { RequestTicketUseCase } from '@app/modules/tickets/linking/request-ticket.use-case';
import { UnlinkTicketUseCase } from '@app/modules/tickets/linking/unlink-ticket.use-case';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/groups/:fingerprint/ticket')
export class TicketsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly requestTicket: RequestTicketUseCase,
    private readonly linkExisting: LinkExistingIssueUseCase,
    private readonly unlinkTicket: UnlinkTicketUseCase,
  ) {}

  /** No body: create (202 {"pending": true}, or 200 when already linked). {"key"}: link an existing issue (200). */
  @Post()
  @ApiBody({ type: TicketRequestDto, required: false })
  @ApiOkResponse({ type: GroupTicketDto, description: 'Linked: the existing issue given as `key`, or the issue the group already has' })
  @ApiAcceptedResponse({ type: TicketPendingDto, description: 'The issue is being created in the background' })
  @ApiErrors(404, 409, 502)
  async create(
    @Param('key') key: string,
    @Param('fingerprint') fingerprint: string,
    @Body() dto: TicketRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketView | { pending: true }> {
    const project = await this.projects.getByKey(key);
    if (dto.key) {
      res.status(200);
      return this.linkExisting.execute(project.id, fingerprint, dto.key);
    }
    const result = await this.requestTicket.execute(project.id, fingerprint);
    res.status('pending' in result ? 202 : 200);
    return 'pending' in result ? result : result.ticket;
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Unlinked (the Jira issue is left as it is)' })
  @ApiErrors(404)
  async unlink(@Param('key') key: string, @Param('fingerprint') fingerprint: string): Promise<void> {
    const project = await this.projects.getByKey(key);
    await this.unlinkTicket.execute(project.id, fingerprint);
  }
}
