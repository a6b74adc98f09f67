// The request id and the access line: every request gets an id (kept when well-formed), failures are always
// logged, and a successful request's line is built and written only when LOG_LEVEL shows debug lines.
import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EventEmitter } from 'node:events';
import { LogLevel } from '@app/common/logging/log-levels';
import { RequestIdMiddleware } from '@app/common/http/request-id.middleware';

type Written = { level: 'debug' | 'log' | 'warn'; line: Record<string, unknown> };

function exchange(level: LogLevel, status: number, incomingId?: string): { written: Written[]; id: string | undefined; pathReads: number } {
  const written: Written[] = [];
  const spies = (['debug', 'log', 'warn'] as const).map((l) =>
    jest.spyOn(Logger.prototype, l).mockImplementation((line: unknown, ..._rest: unknown[]) => void written.push({ level: l, line: line as Record<string, unknown> })),
  );
  let pathReads = 0;
  const req = {
    method: 'POST',
    header: (name: string) => (name === 'x-request-id' ? incomingId : undefined),
    get path() {
      pathReads++;
      return '/api/v1/projects/p/groups';
    },
  } as unknown as Request;
  const headers = new Map<string, string>();
  const res = Object.assign(new EventEmitter(), { statusCode: status, setHeader: (k: string, v: string) => headers.set(k, v) }) as unknown as Response;
  new RequestIdMiddleware(level).use(req, res, () => undefined);
  res.emit('finish');
  for (const s of spies) s.mockRestore();
  return { written, id: headers.get('X-Request-Id'), pathReads };
}

describe('RequestIdMiddleware', () => {
  it('keeps a well-formed X-Request-Id and makes one up for a malformed one', () => {
    expect(exchange('info', 201, 'abc-123').id).toBe('abc-123');
    expect(exchange('info', 201, 'bad id with spaces').id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('at info, writes no line for a successful request and does not even build one', () => {
    expect(exchange('info', 201)).toMatchObject({ written: [], pathReads: 0 });
    expect(exchange('warn', 200)).toMatchObject({ written: [], pathReads: 0 });
  });

  it('logs client errors at info and server errors at warn, whatever the level', () => {
    const client = exchange('info', 404, 'r-1').written;
    expect(client).toEqual([{ level: 'log', line: expect.objectContaining({ msg: 'request', requestId: 'r-1', method: 'POST', path: '/api/v1/projects/p/groups', status: 404 }) }]);
    expect(exchange('warn', 503).written.map((w) => [w.level, w.line.status])).toEqual([['warn', 503]]);
  });

  it('at debug (and verbose), writes the successful request at debug', () => {
    for (const level of ['debug', 'verbose'] as const) {
      const { written } = exchange(level, 201, 'r-2');
      expect(written).toEqual([{ level: 'debug', line: expect.objectContaining({ requestId: 'r-2', status: 201, ms: expect.any(Number) }) }]);
    }
  });
});
