import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { AUTH_POLICY, AuthPolicy } from './auth.decorators';
import { BearerTokens } from './bearer-tokens';

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

/**
 * Global guard: applies the route's policy (auth.decorators.ts) to the bearer token's match
 * (BearerTokens, which also throttles wrong tokens per address).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: BearerTokens,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const policy =
      this.reflector.getAllAndOverride<AuthPolicy>(AUTH_POLICY, [ctx.getHandler(), ctx.getClass()]) ?? 'admin';
    if (policy === 'public') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const fromMemory = policy === 'ingest' && this.reflector.get<boolean>(VERIFIES_INGEST_TOKEN, ctx.getHandler());
    const match = await this.tokens.identify(req, fromMemory ? String(req.params.key) : undefined);
    if (match.kind === 'admin') {
      req.auth = { kind: 'admin' };
      return true;
    }
    if (policy !== 'ingest') throw new ForbiddenException('an ingest token cannot use the admin API');
    const { project } = match;
    if (req.params.key !== project.key) {
      throw new ForbiddenException(`this ingest token belongs to another project than '${req.params.key}'`);
    }
    req.auth = { kind: 'project', projectId: project.id, projectKey: project.key };
    if (match.fromMemory) req.auth.unverifiedTokenHash = match.hash;
    return true;
  }
}
