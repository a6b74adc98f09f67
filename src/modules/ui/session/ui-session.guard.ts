import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { safeEqualString } from '@app/common/crypto';
import { SESSION_COOKIE, UiSession, UiSessionService } from './ui-session.service';

declare module 'express' {
  interface Request {
    uiSession?: UiSession;
  }
}

/** No session: the filter sends the browser to the sign-in page (and back afterwards). */
export class UiSignInRequired extends Error {
  constructor(readonly returnTo: string | undefined) {
    super('sign-in required');
  }
}

export const CSRF_FIELD = '_csrf';
export const CSRF_MISSING = 'This form is missing its security token or the token is stale: reload the page and submit again.';

/** True when the form's CSRF field equals `expected` (constant time). */
export function csrfMatches(req: Request, expected: string | undefined): boolean {
  const sent = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return typeof sent === 'string' && typeof expected === 'string' && safeEqualString(sent, expected);
}

/**
 * Every UI page but sign-in: a live session is required, and every state-changing
 * request must carry the session's CSRF token (synchronizer token pattern; the
 * SameSite=Strict cookie is the second line).
 */
@Injectable()
export class UiSessionGuard implements CanActivate {
  constructor(private readonly sessions: UiSessionService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const session = await this.sessions.find((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    const reading = req.method === 'GET' || req.method === 'HEAD';
    if (!session) throw new UiSignInRequired(reading ? req.originalUrl : undefined);
    if (!reading && !csrfMatches(req, session.csrfToken)) throw new ForbiddenException(CSRF_MISSING);
    req.uiSession = session;
    return true;
  }
}
