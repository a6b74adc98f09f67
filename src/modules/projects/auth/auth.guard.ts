import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { AUTH_POLICY, AuthPolicy } from './auth.decorators';

export type RequestAuth =
  | { kind: 'admin' }
  | {
      kind: 'project';
      projectId: string;
      projectKey: string;
      /**
       * Set when the guard matched the token from memory instead of the database
       * (only for handlers marked @VerifiesIngestToken()): the handler must check it
       * against the database before it acts or answers, and answer 401 when it no
       * longer matches.
       */
      unverifiedTokenHash?: string;
    };

/**
 * Handler metadata: the handler checks an ingest token against the database in
 * the same statement or transaction that writes (IngestGroupsUseCase), so the
 * guard may take the token's project from memory and skip its own look-up. A
 * rotated or deleted token still stops working at once.
 */
export const VERIFIES_INGEST_TOKEN = 'crashbridge:verifies-ingest-token';
export const VerifiesIngestToken = () => SetMetadata(VERIFIES_INGEST_TOKEN, true);

declare module 'express' {
  interface Request {
    auth?: RequestAuth;
  }
}

function bearer(req: Request): string | undefined {
  const header = req.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * Global guard. Tokens are compared in constant time: the admin token directly,
 * ingest tokens through their sha256 (only the hash is stored), looked up in the
 * database, or, for a handler that checks the token itself, remembered.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** sha256 of the admin token: each request hashes its token once, for both comparisons. */
  private readonly adminDigest: Buffer;

  constructor(
    private readonly reflector: Reflector,
    private readonly projects: ProjectsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminDigest = createHash('sha256').update(config.adminToken, 'utf8').digest();
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const policy =
      this.reflector.getAllAndOverride<AuthPolicy>(AUTH_POLICY, [ctx.getHandler(), ctx.getClass()]) ?? 'admin';
    if (policy === 'public') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const token = bearer(req);
    if (!token) throw new UnauthorizedException('Authorization: Bearer <token> header is required');
    // As safeEqualString (constant time over the digests), and the digest is hashToken's too.
    const digest = createHash('sha256').update(token, 'utf8').digest();
    if (timingSafeEqual(digest, this.adminDigest)) {
      req.auth = { kind: 'admin' };
      return true;
    }
    const hash = digest.toString('hex');
    if (policy === 'ingest' && this.reflector.get<boolean>(VERIFIES_INGEST_TOKEN, ctx.getHandler())) {
      const known = this.projects.rememberedTokenProject(hash);
      if (known && known.key === req.params.key) {
        req.auth = { kind: 'project', projectId: known.id, projectKey: known.key, unverifiedTokenHash: hash };
        return true;
      }
    }
    const project = await this.projects.findRefByTokenHash(hash);
    if (!project) throw new UnauthorizedException('token is not valid');
    if (policy !== 'ingest') throw new ForbiddenException('an ingest token cannot use the admin API');
    if (req.params.key !== project.key) {
      throw new ForbiddenException(`this ingest token belongs to another project than '${req.params.key}'`);
    }
    req.auth = { kind: 'project', projectId: project.id, projectKey: project.key };
    return true;
  }
}
