import { HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ProjectRef, ProjectsService } from '@app/modules/projects/projects.service';
import { BearerFailureLimiter } from './bearer-failure-limiter';

/** Whom a request's bearer token names. */
export type TokenMatch =
  | { kind: 'admin' }
  /** fromMemory: matched from rememberedTokenProject, not the database (see VerifiesIngestToken). */
  | { kind: 'project'; project: ProjectRef; hash: string; fromMemory: boolean };

function bearer(req: Request): string | undefined {
  const header = req.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * The bearer-token check of the API (used by the AuthGuard). Tokens are compared
 * in constant time: the admin token directly, ingest tokens through their sha256 (only the hash is
 * stored), looked up in the database or, when the caller allows it, remembered. Wrong tokens are
 * counted per client address (req.ip, so TRUST_PROXY applies): past the limit the address gets 429
 * with Retry-After, and its unknown tokens are no longer looked up.
 */
@Injectable()
export class BearerTokens {
  /** sha256 of the admin token: each request hashes its token once, for both comparisons. */
  private readonly adminDigest: Buffer;

  constructor(
    private readonly projects: ProjectsService,
    private readonly failures: BearerFailureLimiter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminDigest = createHash('sha256').update(config.adminToken, 'utf8').digest();
  }

  /**
   * The token's match, or a 401 (no or a wrong token) or 429 (too many wrong tokens from this
   * address). `rememberedForKey`: a token remembered for this project key is taken from memory.
   */
  async identify(req: Request, rememberedForKey?: string): Promise<TokenMatch> {
    const token = bearer(req);
    if (!token) throw new UnauthorizedException('Authorization: Bearer <token> header is required');
    // As safeEqualString (constant time over the digests), and the digest is hashToken's too.
    const digest = createHash('sha256').update(token, 'utf8').digest();
    if (timingSafeEqual(digest, this.adminDigest)) return { kind: 'admin' };
    const hash = digest.toString('hex');
    const remembered = this.projects.rememberedTokenProject(hash);
    if (remembered && remembered.key === rememberedForKey) return { kind: 'project', project: remembered, hash, fromMemory: true };
    const address = req.ip ?? 'unknown';
    // A token in use lately is still looked up from a throttled address: its owner is not locked out by a neighbour.
    if (!remembered) this.refuseIfThrottled(req, this.failures.retryAfter(address));
    const project = await this.projects.findRefByTokenHash(hash);
    if (project) return { kind: 'project', project, hash, fromMemory: false };
    this.refuseIfThrottled(req, this.failures.recordFailure(address));
    throw new UnauthorizedException('token is not valid');
  }

  private refuseIfThrottled(req: Request, wait: number): void {
    if (wait <= 0) return;
    req.res?.setHeader('Retry-After', String(wait));
    throw new HttpException(`too many invalid tokens from this address: wait ${wait} s and try again`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
