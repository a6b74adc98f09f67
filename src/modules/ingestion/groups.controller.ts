import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { badRequest } from '../../common/errors/domain-error';
import { IngestTokenAllowed } from '../projects/auth/auth.decorators';
import { ProjectsService } from '../projects/projects.service';
import { parseIngestBody } from './domain/parse-ingest-body';
import { GroupListResponseDto, GroupResponseDto } from './dto/group-response.dto';
import { IngestBatchDto, IngestGroupDto } from './dto/ingest-group.dto';
import { ListGroupsQueryDto } from './dto/list-groups-query.dto';
import { UpdateGroupDto } from './dto/update-group.dto';
import { LinkedIssuesService } from '../tickets/linking/linked-issues.service';
import { GroupsService } from './groups.service';
import { IngestGroupsUseCase } from './use-cases/ingest-groups.use-case';
import { ListGroupsUseCase } from './use-cases/list-groups.use-case';
import { UpdateGroupUseCase } from './use-cases/update-group.use-case';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

@ApiTags('groups')
@ApiBearerAuth()
@ApiExtraModels(IngestGroupDto, IngestBatchDto)
@Controller('api/v1/projects/:key/groups')
export class GroupsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly groups: GroupsService,
    private readonly ingest: IngestGroupsUseCase,
    private readonly listGroups: ListGroupsUseCase,
    private readonly updateGroup: UpdateGroupUseCase,
    private readonly linked: LinkedIssuesService,
  ) {}

  /** One group (201 new / 200 existing) or {"groups": [...]} (200 with per-item results). */
  @Post()
  @IngestTokenAllowed()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(IngestGroupDto) }, { $ref: getSchemaPath(IngestBatchDto) }] } })
  async post(
    @Param('key') key: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const project = await this.projects.getByKey(key);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw badRequest('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-255 visible ASCII characters', 'Idempotency-Key');
    }
    const parsed = parseIngestBody(body);
    const bodyHash = createHash('sha256').update(req.rawBody ?? JSON.stringify(body)).digest('hex');
    const result = await this.ingest.execute({
      projectId: project.id,
      body: parsed,
      idempotency: idempotencyKey ? { key: idempotencyKey, bodyHash } : undefined,
    });
    res.status(result.statusCode);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  async list(@Param('key') key: string, @Query() q: ListGroupsQueryDto): Promise<GroupListResponseDto> {
    const project = await this.projects.getByKey(key);
    return this.listGroups.execute({ projectId: project.id, state: q.state, limit: q.limit ?? 50, cursor: q.cursor, q: q.q });
  }

  @Get(':fingerprint')
  async get(@Param('key') key: string, @Param('fingerprint') fingerprint: string): Promise<GroupResponseDto> {
    const project = await this.projects.getByKey(key);
    const group = await this.groups.get(project.id, fingerprint);
    const tickets = await this.linked.viewsFor(this.dataSource.manager, [group]);
    return GroupResponseDto.from(group, tickets.get(group.id) ?? null);
  }

  @Patch(':fingerprint')
  async patch(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Body() dto: UpdateGroupDto): Promise<GroupResponseDto> {
    const project = await this.projects.getByKey(key);
    return this.updateGroup.execute(project.id, fingerprint, dto);
  }
}
