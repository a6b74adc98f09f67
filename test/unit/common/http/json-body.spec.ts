// The direct routes read JSON bodies with readJsonBody (src/common/http/json-body.ts) instead of
// the app's body parsers: on the same requests both must give the same body, raw body and error.
import { getBodyParserOptions } from '@nestjs/platform-express/adapters/utils/get-body-parser-options.util';
import type { NextFunction, Request, Response } from 'express';
import { json, urlencoded } from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { BODY_LIMIT, readJsonBody } from '@app/common/http/json-body';

type Outcome = { body?: unknown; raw?: string | null; error?: { status?: number; type?: string; message: string; syntax: boolean } };

const appParsers = [json(getBodyParserOptions(true, { limit: BODY_LIMIT })), urlencoded(getBodyParserOptions(true, { limit: BODY_LIMIT, extended: false }))];

function viaParsers(req: Request, res: Response, next: NextFunction): void {
  appParsers[0](req, res, (err?: unknown) => (err ? next(err) : appParsers[1](req, res, next)));
}

/** A server that reads each request with one of the two readers and reports what it got. */
function server(read: (req: Request, res: Response, next: NextFunction) => void): Promise<http.Server> {
  const s = http.createServer((req, res) => {
    const r = req as unknown as Request & { rawBody?: Buffer };
    read(r, res as unknown as Response, (err?: unknown) => {
      const e = err as (Error & { status?: number; type?: string }) | undefined;
      const out: Outcome = e
        ? { error: { status: e.status, type: e.type, message: e.message, syntax: e instanceof SyntaxError } }
        : { body: r.body, raw: r.rawBody ? r.rawBody.toString('base64') : null };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(out));
    });
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

function send(s: http.Server, headers: Record<string, string>, body: Buffer): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: (s.address() as AddressInfo).port, method: 'POST', path: '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const cases: Array<[string, Record<string, string>, Buffer]> = [
  ['an object', JSON_TYPE, Buffer.from('{"fingerprint":"a","attributes":{"v":{"1":2}}}')],
  ['an array', JSON_TYPE, Buffer.from(' [1, 2]')],
  ['an empty body', JSON_TYPE, Buffer.alloc(0)],
  ['whitespace only', JSON_TYPE, Buffer.from('  \n ')],
  ['a string', JSON_TYPE, Buffer.from('"abc"')],
  ['a number after whitespace', JSON_TYPE, Buffer.from('  42')],
  ['null', JSON_TYPE, Buffer.from('null')],
  ['truncated JSON', JSON_TYPE, Buffer.from('{"fingerprint": ')],
  ['a trailing comma', JSON_TYPE, Buffer.from('{"a": 1,}')],
  ['a byte order mark', JSON_TYPE, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])],
  ['invalid UTF-8 in a string', JSON_TYPE, Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])],
  ['non-ASCII text', JSON_TYPE, Buffer.from('{"title":"Fehler in Überprüfung — 日本"}')],
  ['charset=utf-8', { 'content-type': 'application/json; charset=utf-8' }, Buffer.from('{"a":1}')],
  ['upper-case type and charset', { 'content-type': 'Application/JSON; charset=UTF-8' }, Buffer.from('{"a":1}')],
  ['charset=latin1 (refused)', { 'content-type': 'application/json; charset=latin1' }, Buffer.from('{"a":1}')],
  ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from('fingerprint=a&b=2')],
  ['text/plain (not read)', { 'content-type': 'text/plain' }, Buffer.from('{"a":1}')],
  ['no content type', {}, Buffer.from('{"a":1}')],
  ['over the limit', JSON_TYPE, Buffer.from(`{"a":"${'x'.repeat(5 * 1024 * 1024)}"}`)],
];

describe('readJsonBody reads bodies as the app body parsers do', () => {
  let parsers: http.Server;
  let fast: http.Server;
  beforeAll(async () => {
    parsers = await server(viaParsers);
    fast = await server(readJsonBody);
  });
  afterAll(() => {
    parsers.close();
    fast.close();
  });

  it.each(cases)('%s', async (_name, headers, body) => {
    const expected = await send(parsers, headers, body);
    expect(await send(fast, headers, body)).toEqual(expected);
  });
});
