import { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';

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
    const Request = class ExpressRequest extends IncomingMessage {};
    const Response = class ExpressResponse extends ServerResponse {};
    app.request = takeOver(Request.prototype, app.request);
    app.response = takeOver(Response.prototype, app.response);
    this.setHttpServer(createServer({ IncomingMessage: Request, ServerResponse: Response }, app));
  }
}

/**
 * Makes a subclass's prototype stand in for one of Express's (app.request or app.response): the same
 * parent (Express's request or response methods) and the same own properties (`app`). The server's
 * objects are then built on what Express will give them.
 *
 * Subclasses, not functions that call node:http's constructors on `this`: V8 sizes an object from
 * the constructor chain of a class, and a ServerResponse built by a plain function outgrew that size
 * and fell back to slow (dictionary) properties, for every later read and write of it (2 µs more
 * to build, 15 times a plain one, in a loop on the project's machine). A class cannot take an
 * existing object as its prototype, hence the copy.
 */
function takeOver<T extends object>(prototype: object, express: T): T {
  Object.setPrototypeOf(prototype, Object.getPrototypeOf(express));
  Object.defineProperties(prototype, Object.getOwnPropertyDescriptors(express));
  // It now has what `express` has: its parent, whose methods make it an Express request or response, and its own properties.
  return prototype as T;
}
