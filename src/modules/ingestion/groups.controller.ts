import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags, getSchemaPath, ApiExtraModels, ApiOkResponse, ApiCreatedResponse } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { Request, Response } from 'express';
import { BODY_LIMITS } from '@app/common/http/body-limits';
import { ServedDirectly } from '@app/common/http/direct-route';
import { IngestTokenAllowed } from '@app/modules/projects/auth/auth.decorators';
import { VerifiesIngestToken } from '@app/modules/projects/auth/auth.guard';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { GroupListResponseDto, GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { BatchResultDto, IngestBatchDto, IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';
import { BulkGroupsDto, BulkGroupsResponseDto } from '@app/modules/ingestion/dto/bulk-groups.dto';
import { GroupOccurrencesQueryDto, GroupOccurrencesResponseDto } from '@app/modules/ingestion/dto/group-occurrences.dto';
import { ListGroupsQueryDto } from '@app/modules/ingestion/dto/list-groups-query.dto';
import { UpdateGroupDto } from '@app/modules/ingestion/dto/update-group.dto';
import { IngestEndpoint } from './ingest-endpoint';
import { BulkUpdateGroupsUseCase } from '@app/modules/ingestion/use-cases/bulk-update-groups.use-case';
import { GetGroupOccurrencesUseCase } from '@app/modules/ingestion/use-cases/get-group-occurrences.use-case';
import { GetGroupUseCase } from '@app/modules/ingestion/use-cases/get-group.use-case';
import { ListGroupsUseCase } from '@app/modules/ingestion/use-cases/list-groups.use-case';
import { UpdateGroupUseCase } from '@app/modules/ingestion/use-cases/update-group.use-case';

/** Set on an answer replayed for a repeated Idempotency-Key. */
const REPLAYED = { 'Idempotent-Replayed': { description: 'true when this is the stored answer to an earlier request with the same Idempotency-Key', schema: { type: 'string' } } };

@ApiTags('groups')
@ApiBearerAuth()
@ApiExtraModels(IngestGroupDto, IngestBatchDto, GroupResponseDto, BatchResultDto)
@Controller('api/v1/projects/:key/groups')
export class GroupsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly endpoint: IngestEndpoint,
    private readonly listGroups: ListGroupsUseCase,
    private readonly getGroup: GetGroupUseCase,
    private readonly updateGroup: UpdateGroupUseCase,
    private readonly bulkUpdate: BulkUpdateGroupsUseCase,
    private readonly occurrences: GetGroupOccurrencesUseCase,
  ) {}

  /**
   * One group (201 new / 200 existing) or {"groups": [...]} (200 with per-item results).
   * The ingestion hot path: the direct-route adapter calls this method (common/http/direct-route.ts).
   */
  @Post()
  @ServedDirectly({
    path: '/api/v1/projects/:key/groups',
    status: 201,
    args: (req, res) => [req.params.key, req.body, req.headers['idempotency-key'], req, res],
    bodyLimit: BODY_LIMITS.ingestion,
  })
  @IngestTokenAllowed()
  @VerifiesIngestToken()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(IngestGroupDto) }, { $ref: getSchemaPath(IngestBatchDto) }] } })
  @ApiCreatedResponse({ type: GroupResponseDto, description: 'One group, new', headers: REPLAYED })
  @ApiOkResponse({
    description: 'One group, already known (the group); or a batch (a result per item)',
    schema: { oneOf: [{ $ref: getSchemaPath(GroupResponseDto) }, { $ref: getSchemaPath(BatchResultDto) }] },
    headers: REPLAYED,
  })
  @ApiErrors(404, 422)
  async post(
    @Param('key') key: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const result = await this.endpoint.post(key, body, idempotencyKey, req);
    res.status(result.statusCode);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  @ApiOkResponse({ type: GroupListResponseDto })
  @ApiErrors(400, 404)
  async list(@Param('key') key: string, @Query() q: ListGroupsQueryDto): Promise<GroupListResponseDto> {
    const project = await this.projects.getByKey(key);
    return this.listGroups.execute({
      projectId: project.id, sort: q.sort, state: q.state, assignee: q.assignee, ticketStatus: q.ticketStatus, limit: q.limit ?? 50, cursor: q.cursor, q: q.q,
    });
  }

  /** One action on up to 200 groups: 200 with a result per fingerprint (a missing group is that item's 404, not the call's). */
  @Post('bulk')
  @HttpCode(200)
  @ApiOkResponse({ type: BulkGroupsResponseDto })
  @ApiErrors(404)
  async bulk(@Param('key') key: string, @Body() dto: BulkGroupsDto): Promise<BulkGroupsResponseDto> {
    const project = await this.projects.getByKey(key);
    return this.bulkUpdate.execute(project.id, dto);
  }

  @Get(':fingerprint')
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiErrors(404)
  get(@Param('key') key: string, @Param('fingerprint') fingerprint: string): Promise<GroupResponseDto> {
    return this.getGroup.execute(key, fingerprint);
  }

  /** The group's occurrences by hour over the last `hours` hours (default 168: 7 days), oldest first. */
  @Get(':fingerprint/occurrences')
  @ApiOkResponse({ type: GroupOccurrencesResponseDto })
  @ApiErrors(404)
  async occurrencesByHour(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Query() q: GroupOccurrencesQueryDto): Promise<GroupOccurrencesResponseDto> {
    const project = await this.projects.getByKey(key);
    return GroupOccurrencesResponseDto.from(await this.occurrences.execute(project.id, fingerprint, q.hours));
  }

  @Patch(':fingerprint')
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiErrors(404)
  async patch(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Body() dto: UpdateGroupDto): Promise<GroupResponseDto> {
    const project = await this.projects.getByKey(key);
    return this.updateGroup.execute(project.id, fingerprint, dto);
  }
}
