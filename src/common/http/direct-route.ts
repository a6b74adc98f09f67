import { applyDecorators, CanActivate, ForbiddenException, HttpCode, INestApplication, Type } from '@nestjs/common';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isObservable, lastValueFrom } from 'rxjs';
import { HttpMetricsMiddleware } from '@app/common/metrics/http-metrics.middleware';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { LOG_LEVEL, LogLevel } from '@app/common/logging/log-levels';
import { BODY_LIMITS } from './body-limits';
import { DirectRouteContext } from './direct-route-context';
import { PathMatcher, pathMatcher } from './direct-route-matcher';
import { bodyReader } from './json-body';
import { RequestIdMiddleware } from './request-id.middleware';

export interface DirectRouteOptions {
  /** The full Express path of the method's route (controller path + method path); also its metrics label. */
  path: string;
  /** The answer's status unless the method sets another (res.status); declared to Nest as @HttpCode too. */
  status: number;
  /** The method's arguments, read from the request as its parameter decorators would read them. */
  args(req: Request, res: Response): unknown[];
  /** The largest body the route reads, in bytes (BODY_LIMITS.default unless given). */
  bodyLimit?: number;
}

export interface DirectRoute extends DirectRouteOptions {
  controller: Type<unknown>;
  method: string;
}

const registry: DirectRoute[] = [];

/**
 * Marks a controller's POST method as served by the direct-route adapter (mountDirectRoutes),
 * which calls the method itself, ahead of Nest's router. The method keeps its @Post and
 * parameter decorators: they declare the route to OpenAPI, and a request never reaches
 * Nest's own route for the same path. docs/decisions/direct-routes.md says why.
 */
export function ServedDirectly(options: DirectRouteOptions): MethodDecorator {
  const register: MethodDecorator = (target, key) => {
    registry.push({ ...options, controller: target.constructor as Type<unknown>, method: String(key) });
  };
  return applyDecorators(HttpCode(options.status), register);
}

/** Every route the adapter serves: the parity test (test/e2e/direct-routes-parity) covers each. */
export function directRoutes(): readonly DirectRoute[] {
  return registry;
}

/** What the global ValidationPipe leaves unchanged: a direct route runs no pipes, so its parameters must be of these types. */
const UNPIPED_TYPES: unknown[] = [String, Object, undefined];

/**
 * Serves every @ServedDirectly method without Nest's router, for the throughput it buys
 * (npm run bench: Nest's routing, pipes and response handling were about a third of the CPU per
 * request): their usual requests ahead of Express (serveAheadOfExpress), the others from Express.
 * Called once the application is created and before anything else is mounted, so these
 * routes are the first layer of the Express stack. Each runs what the app gives every route:
 * the app-wide middleware in the app's order (request id, then metrics), the app's global guards
 * with the method's metadata, then, once authenticated, the body as the app reads it (json-body.ts,
 * with the route's limit), and its errors go to next(err), that is to Nest's error handler and
 * the global exception filter.
 * The app has no global interceptors; a new one must be applied here too.
 */
export function mountDirectRoutes(app: INestApplication, guards: readonly CanActivate[]): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  const requestId = new RequestIdMiddleware(app.get<LogLevel>(LOG_LEVEL));
  const httpMetrics = new HttpMetricsMiddleware(app.get(MetricsService));
  const middleware: RequestHandler[] = [(req, res, next) => requestId.use(req, res, next), (req, res, next) => httpMetrics.use(req, res, next)];
  const ahead: AheadRoute[] = [];
  for (const route of registry) {
    const controller = app.get(route.controller);
    const handler = (route.controller.prototype as Record<string, (...args: unknown[]) => unknown>)[route.method];
    const paramTypes = (Reflect.getMetadata('design:paramtypes', route.controller.prototype, route.method) as unknown[]) ?? [];
    if (paramTypes.some((t) => !UNPIPED_TYPES.includes(t))) {
      throw new Error(`${route.controller.name}.${route.method} is served directly, without pipes: its parameters must be strings or untyped`);
    }
    // The guards before the body is read: an unauthenticated request costs no parsing.
    const authenticate = (req: Request, res: Response, next: NextFunction) => {
      const ctx = new DirectRouteContext(req, res, next, route.controller, handler);
      runGuards(guards, ctx).then(() => next(), next);
    };
    const respond = (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        res.statusCode = route.status;
        const body = await handler.apply(controller, route.args(req, res));
        sendJson(req, res, res.statusCode, body);
      })().catch(next);
    };
    // One handler running the steps in turn: cheaper than one router layer per step.
    const steps: RequestHandler[] = [...middleware, authenticate, bodyReader(route.bodyLimit ?? BODY_LIMITS.default), respond];
    const serve = (req: Request, res: Response, next: NextFunction) => {
      const step = (i: number) => (err?: unknown) => (err || i === steps.length ? next(err) : steps[i](req, res, step(i + 1)));
      step(0)();
    };
    express.post(route.path, (req, res, next) => {
      const failure = failures.get(req);
      if (failure) return next(failure.error);
      serve(req, res, next);
    });
    ahead.push({ route: { path: route.path }, match: pathMatcher(route.path), serve });
  }
  serveAheadOfExpress(app.getHttpServer() as Server, express, ahead);
}

/** A route served ahead of Express: how to recognise its requests, and its steps. */
interface AheadRoute {
  /** What Express's router sets as req.route (the HTTP metrics label read it). */
  route: { path: string };
  match: PathMatcher;
  serve(req: Request, res: Response, next: NextFunction): void;
}

/** Requests that failed ahead of Express, handed to it for their error answer. */
const failures = new WeakMap<object, { error: unknown }>();

/**
 * Takes the direct routes' usual requests (see direct-route-matcher.ts) off the HTTP server before Express
 * sees them: Express's per-request set-up and router were about a tenth of the service's CPU per report
 * (npm run bench). Such a request gets what Express would give it (its request and response prototypes, the
 * route's parameters); when it fails, it goes to Express after all, marked, and the same route passes the error
 * on to Nest's error handler, so every error is answered as before. Every other request goes to Express.
 */
function serveAheadOfExpress(server: Server, express: Express, routes: AheadRoute[]): void {
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (listeners.length !== 1 || listeners[0] !== (express as unknown)) throw new Error('the HTTP server must have Express as its only request listener');
  server.removeAllListeners('request');
  server.on('request', (message: IncomingMessage, response: ServerResponse) => {
    const hit = message.method === 'POST' ? findRoute(routes, message.url ?? '') : undefined;
    if (!hit) return express(message, response);
    // What Express's app.handle and router set up for a request they route. The prototypes are in place
    // already when the server built them (express-http-adapter.ts), and setting them again costs nothing.
    const req = Object.setPrototypeOf(message, express.request) as Request;
    const res = Object.setPrototypeOf(response, express.response) as Response;
    req.res = res;
    res.req = req;
    res.locals = Object.create(null);
    req.params = hit.params;
    req.route = hit.route.route;
    hit.route.serve(req, res, (err?: unknown) => {
      failures.set(req, { error: err ?? new Error('a direct route ended without answering') });
      express(req, res);
    });
  });
}

function findRoute(routes: AheadRoute[], url: string): { route: AheadRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = route.match(url);
    if (params) return { route, params };
  }
  return undefined;
}

async function runGuards(guards: readonly CanActivate[], ctx: DirectRouteContext): Promise<void> {
  for (const guard of guards) {
    const allowed = guard.canActivate(ctx);
    if (!(await (isObservable(allowed) ? lastValueFrom(allowed) : allowed))) throw new ForbiddenException('Forbidden resource'); // as Nest's router
  }
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
