import { CanActivate, ForbiddenException, Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { readJsonBody } from './json-body';

export interface DirectRoute {
  /** Express path of the controller route this stands in for (also the metrics label). */
  path: string;
  /** The controller and method it stands in for: the guard reads their metadata (@Public, @IngestTokenAllowed...). */
  controller: Type<unknown>;
  method: string;
  /** The app's global guard (AuthGuard; the controller has no guards of its own). */
  guard: CanActivate;
  /** The app-wide middleware, in their order (request id, metrics): they never run for this route otherwise. */
  middleware: RequestHandler[];
  /** Answers the request, as the controller method would (sendJson). */
  handle(req: Request, res: Response): Promise<void>;
}

/**
 * Serves a hot POST route straight from Express, ahead of the Nest pipeline, for the
 * throughput it costs (npm run bench: routing, guards, pipes, interceptors and response
 * handling were about a third of the service's CPU per request). Registered while the
 * application is created, so it is the first layer of the Express stack. Everything else
 * is kept as the controller route has it: the app-wide middleware, the body as the app's
 * body parsers read it (json-body.ts), the same guard with the controller method's
 * metadata, the same response (sendJson), and errors go to next(err), that is to Nest's
 * error handler and the global exception filter.
 *
 * Not applied here: anything Nest adds per route. The app has no global interceptors and
 * its global ValidationPipe leaves these routes' parameters alone (untyped body, string
 * params and headers); a new global guard, interceptor or pipe must be added here too.
 */
export function registerDirectRoute(host: HttpAdapterHost, route: DirectRoute): void {
  const app = host.httpAdapter?.getInstance?.() as Express | undefined;
  if (!app) return; // no HTTP server (ROLE=worker)
  const handler = route.controller.prototype[route.method] as (...args: unknown[]) => unknown;
  const respond = (req: Request, res: Response, next: NextFunction) => {
    const ctx = new ExecutionContextHost([req, res, next], route.controller, handler);
    void (async () => {
      if (!(await route.guard.canActivate(ctx))) throw new ForbiddenException('Forbidden resource'); // as Nest's router
      await route.handle(req, res);
    })().catch(next);
  };
  // One Express handler running the steps in turn: cheaper than one router layer per step.
  const steps: RequestHandler[] = [...route.middleware, readJsonBody, respond];
  app.post(route.path, (req, res, next) => {
    const step = (i: number) => (err?: unknown) => (err || i === steps.length ? next(err) : steps[i](req, res, step(i + 1)));
    step(0)();
  });
}

/** Answers with `body` as JSON exactly as Express's res.json() does for a POST, without its per-call lookups. */
export function sendJson(req: Request, res: Response, status: number, body: unknown): void {
  const buf = Buffer.from(JSON.stringify(body), 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(buf.length));
  const etag = (req.app.get('etag fn') as ((b: Buffer) => string | undefined) | undefined)?.(buf);
  if (etag) res.setHeader('ETag', etag);
  res.end(buf);
}
