import { BadRequestException, CanActivate, ExecutionContext, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { bodyParserError } from './all-exceptions.filter';
import { bodyReader } from './json-body';

/**
 * The last global guard: reads the request's body (json-body.ts, up to `limitBytes`, nesting
 * capped) once the guards before it, the AuthGuard first, have let the request through. Nest runs
 * guards after every middleware and before the pipes that read @Body(), so no body of an
 * unauthenticated request is ever read, and the body is there for the pipes and the handler.
 */
export class ReadBodyGuard implements CanActivate {
  private readonly read: ReturnType<typeof bodyReader>;

  constructor(limitBytes: number) {
    this.read = bodyReader(limitBytes);
  }

  canActivate(ctx: ExecutionContext): Promise<boolean> | boolean {
    if (ctx.getType() !== 'http') return true;
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request>();
    return new Promise((resolve, reject) => {
      this.read(req, http.getResponse<Response>(), (err?: unknown) => (err ? reject(asNestError(err)) : resolve(true)));
    });
  }
}

/**
 * As an error of the Express body parsers reaches the filters when a parser passes it on: a parse
 * error is a 400 with the parser's message (Nest's external exception handler), the others the
 * answer AllExceptionsFilter gives them, as HTTP exceptions, so a controller's own filter (the UI's)
 * shows them with their status too.
 */
function asNestError(err: unknown): unknown {
  if (err instanceof SyntaxError) return new BadRequestException(err.message);
  const body = bodyParserError(err as { type?: string });
  return body ? new HttpException(body, body.statusCode) : err;
}
