import type { Request, RequestHandler } from 'express';
import { BearerTokens } from './bearer-tokens';

/** True when the request says it carries a body (as body-parser's type-is decides, but a length of 0 is none). */
function carriesBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Express middleware for the bearer-token API, mounted before the body reader: a request with a
 * body and without a valid token is refused (401/429) before any of its body is read or parsed.
 * It is the AuthGuard's own token check (BearerTokens), whose answer the guard reuses; the guard
 * still applies the route's policy (admin only, or the project's ingest token).
 */
export function authenticateBeforeBody(tokens: BearerTokens): RequestHandler {
  return (req, _res, next) => {
    if (!carriesBody(req)) return next();
    tokens.identify(req).then(() => next(), next);
  };
}
