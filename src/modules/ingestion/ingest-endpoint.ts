import { Injectable, UnauthorizedException } from '@nestjs/common';
import { Request } from 'express';
import { createHash } from 'node:crypto';
import { pgCode } from '@app/common/errors/database-errors';
import { badRequest } from '@app/common/errors/domain-error';
import { ProjectGone } from '@app/database/repositories/group.rows';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { parseIngestBody } from '@app/modules/ingest-body/parse-ingest-body';
import { IngestGroupsUseCase, IngestResult, IngestTokenRejected } from '@app/modules/ingestion/use-cases/ingest-groups.use-case';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * POST /api/v1/projects/:key/groups after authentication (AuthGuard has set req.auth):
 * shared by GroupsController and its direct Express route, so both answer alike.
 */
@Injectable()
export class IngestEndpoint {
  constructor(
    private readonly projects: ProjectsService,
    private readonly ingest: IngestGroupsUseCase,
  ) {}

  async post(key: string, body: unknown, idempotencyKey: string | undefined, req: Request & { rawBody?: Buffer }): Promise<IngestResult> {
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
      try {
        return await this.ingest.execute({ projectId, body: parsed, idempotency, token });
      } catch (err) {
        // The project is gone (deleted meanwhile; a remembered key → id may be stale): look again.
        if (!(err instanceof ProjectGone) && pgCode(err) !== FOREIGN_KEY_VIOLATION) throw err;
        this.projects.forgetRef(key);
        const again = await this.projects.getRefByKey(key);
        if (again.id === projectId) throw err;
        if (tokenProject !== undefined) throw new IngestTokenRejected();
        projectId = again.id;
        return await this.ingest.execute({ projectId, body: parsed, idempotency });
      }
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
}
