import { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Nest's Express adapter with an HTTP server that builds each request and response on Express's
 * own prototypes (app.request, app.response) from the start. Express gives every request those
 * prototypes with Object.setPrototypeOf, which V8 makes dear: in a loop on the project's machine,
 * 37 µs and 4.5 KB of garbage per request and response pair (npm run bench's webhooks: part of what
 * the service spends beyond the bare intake). With the prototype already in place, Express's call
 * changes nothing and costs next to nothing.
 * HTTPS and forceCloseConnections, which the service does not use, keep Nest's own server.
 */
export class ExpressHttpAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    this.setHttpServer(createServer({ IncomingMessage: expressRequest(app), ServerResponse: expressResponse(app) }, app));
  }
}

/**
 * Constructors the HTTP server calls with `new`. They are functions, not classes, because a class
 * cannot take an existing object as its prototype; node:http's constructors are functions too, so
 * they can run on `this`. (Reflect.construct with another new.target would do it for a class, at
 * 40 times the cost.)
 */
function expressRequest(app: Express): typeof IncomingMessage {
  function Request(this: IncomingMessage, socket: Socket): void {
    IncomingMessage.call(this, socket);
  }
  Request.prototype = app.request;
  return Request as unknown as typeof IncomingMessage;
}

function expressResponse(app: Express): typeof ServerResponse {
  function Response(this: ServerResponse, req: IncomingMessage, options?: object): void {
    // @types/node declares the constructor without the options node:http passes (highWaterMark and the like).
    (ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: object) => void).call(this, req, options);
  }
  Response.prototype = app.response;
  return Response as unknown as typeof ServerResponse;
}
