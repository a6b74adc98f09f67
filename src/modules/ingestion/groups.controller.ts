import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { pgCode } from '../../common/errors/database-errors';
import { badRequest } from '../../common/errors/domain-error';
import { IngestTokenAllowed } from '../projects/auth/auth.decorators';
import { VerifiesIngestToken } from '../projects/auth/auth.guard';
import { ProjectsService } from '../projects/projects.service';
import { parseIngestBody } from '../reports/parse-ingest-body';
import { GroupListResponseDto, GroupResponseDto } from './dto/group-response.dto';
import { IngestBatchDto, IngestGroupDto } from '../reports/ingest-group.dto';
import { ListGroupsQueryDto } from './dto/list-groups-query.dto';
import { UpdateGroupDto } from './dto/update-group.dto';
import { LinkedIssuesService } from '../tickets/linking/linked-issues.service';
import { GroupsService } from './groups.service';
import { IngestGroupsUseCase, IngestResult, IngestTokenRejected } from './use-cases/ingest-groups.use-case';
import { ListGroupsUseCase } from './use-cases/list-groups.use-case';
import { UpdateGroupUseCase } from './use-cases/update-group.use-case';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const FOREIGN_KEY_VIOLATION = '23503';

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
  @VerifiesIngestToken()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(IngestGroupDto) }, { $ref: getSchemaPath(IngestBatchDto) }] } })
  async post(
    @Param('key') key: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const auth = req.auth;
    const tokenProject = auth?.kind === 'project' ? auth.projectId : undefined;
    // A token the guard took from memory is checked by the statement that writes;
    // until it has been, no answer may depend on it (an error below checks it first).
    const token = auth?.kind === 'project' && auth.unverifiedTokenHash ? { hash: auth.unverifiedTokenHash, verified: false } : undefined;
    try {
      // The guard has resolved the project of an ingest token; the admin token names it by key.
      let projectId = tokenProject ?? (await this.projects.getRefByKey(key)).id;
      if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw badRequest('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-255 visible ASCII characters', 'Idempotency-Key');
      }
      const parsed = parseIngestBody(body);
      const idempotency = idempotencyKey
        ? { key: idempotencyKey, bodyHash: createHash('sha256').update(req.rawBody ?? JSON.stringify(body)).digest('hex') }
        : undefined;
      let result: IngestResult;
      try {
        result = await this.ingest.execute({ projectId, body: parsed, idempotency, token });
      } catch (err) {
        // The project is gone (deleted meanwhile; a remembered key → id may be stale): look again.
        if (pgCode(err) !== FOREIGN_KEY_VIOLATION) throw err;
        this.projects.forgetRef(key);
        const again = await this.projects.getRefByKey(key);
        if (again.id === projectId) throw err;
        if (tokenProject !== undefined) throw new IngestTokenRejected();
        projectId = again.id;
        result = await this.ingest.execute({ projectId, body: parsed, idempotency });
      }
      res.status(result.statusCode);
      if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
      return result.body;
    } catch (err) {
      if (token && !(err instanceof IngestTokenRejected) && !token.verified) {
        const project = await this.projects.findRefByTokenHash(token.hash);
        if (project?.id !== tokenProject) throw new UnauthorizedException('token is not valid');
      }
      if (err instanceof IngestTokenRejected) {
        if (token) this.projects.forgetTokenHash(token.hash);
        throw new UnauthorizedException('token is not valid');
      }
      throw err;
    }
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
