import { Inject, Injectable, Logger, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { LOG_LEVEL, LogLevel, logsDebug } from '@app/common/logging/log-levels';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express' {
  interface Request {
    requestId?: string;
  }
}

/**
 * Gives each request an id (kept from X-Request-Id when well-formed), echoes it,
 * and writes one access log line: at debug level for successful requests (the
 * ingestion endpoint takes thousands a second), at info for 4xx and warn for 5xx.
 * Only method, path and status are logged: never headers, query strings or
 * bodies, which may carry tokens and secrets.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Http');
  /** Whether LOG_LEVEL writes the successful requests' lines: else none is built (about 1 % of a report's CPU). */
  private readonly successLines: boolean;

  constructor(@Inject(LOG_LEVEL) level: LogLevel) {
    this.successLines = logsDebug(level);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.header('x-request-id');
    const id = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    req.requestId = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const status = res.statusCode;
      if (status < 400 && !this.successLines) return;
      const line = () => ({ msg: 'request', requestId: id, method: req.method, path: req.path, status, ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10 });
      if (status >= 500) this.logger.warn(line());
      else if (status >= 400) this.logger.log(line());
      else this.logger.debug(line());
    });
    next();
  }
}
