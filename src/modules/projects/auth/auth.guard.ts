import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { hashToken, safeEqualString } from '../../../common/crypto';
import { ProjectsService } from '../projects.service';
import { AUTH_POLICY, AuthPolicy } from './auth.decorators';

export type RequestAuth = { kind: 'admin' } | { kind: 'project'; projectId: string; projectKey: string };

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
 * ingest tokens through their sha256 (only the hash is stored).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly projects: ProjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const policy =
      this.reflector.getAllAndOverride<AuthPolicy>(AUTH_POLICY, [ctx.getHandler(), ctx.getClass()]) ?? 'admin';
    if (policy === 'public') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const token = bearer(req);
    if (!token) throw new UnauthorizedException('Authorization: Bearer <token> header is required');
    if (safeEqualString(token, this.config.adminToken)) {
      req.auth = { kind: 'admin' };
      return true;
    }
    const project = await this.projects.findByTokenHash(hashToken(token));
    if (!project) throw new UnauthorizedException('token is not valid');
    if (policy !== 'ingest') throw new ForbiddenException('an ingest token cannot use the admin API');
    if (req.params.key !== project.key) {
      throw new ForbiddenException(`this ingest token belongs to another project than '${req.params.key}'`);
    }
    req.auth = { kind: 'project', projectId: project.id, projectKey: project.key };
    return true;
  }
}
