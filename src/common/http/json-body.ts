// Reading a request body the way express.json and express.urlencoded do (with the raw body
// kept), at a fraction of the cost for the usual request: `Content-Type: application/json`
// (charset utf-8 or none), no Content-Encoding, a Content-Length within the limit. Every other
// request goes through those body parsers themselves. test/unit/common/http/json-body.spec.ts
// compares the two on the same inputs. Every route reads its body with a reader from here, after
// authentication (read-body.guard.ts, direct-route.ts), and JSON nested deeper than MAX_JSON_DEPTH is
// refused with 400.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json, urlencoded } from 'express';
import { BODY_LIMITS } from './body-limits';
import { jsonTextTooDeep, jsonValueTooDeep, tooDeepError } from './json-depth';

/** The ingestion route's limit, as body-parser spells it (the largest any route reads). */
export const BODY_LIMIT = '5mb';

const JSON_TYPE = /^application\/json(?:; charset=utf-8)?$/i;
const DIGITS = /^\d{1,10}$/;
// body-parser's strict mode: the first non-whitespace character must open an object or array.
const FIRST_NON_WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/;

type RawRequest = Request & { rawBody?: Buffer };

/** Keeps the raw body as Nest's `rawBody: true` option does for the app's parsers. */
const keepRawBody = (req: RawRequest, _res: unknown, buf: Buffer) => {
  req.rawBody = buf;
};

/**
 * A reader of bodies up to `limitBytes`: sets req.body and req.rawBody as express.json and
 * express.urlencoded would, then calls next (with their error, if any, or a 400 for JSON nested
 * too deep: checked on the bytes before parsing on the fast path, on the value after it otherwise).
 */
export function bodyReader(limitBytes: number): RequestHandler {
  // The body parsers, for the requests the fast path does not take.
  const parsers: RequestHandler[] = [
    json({ limit: limitBytes, verify: keepRawBody }),
    urlencoded({ limit: limitBytes, extended: false, verify: keepRawBody }),
  ];
  const withParsers = (req: Request, res: Response, next: NextFunction, i = 0): void => {
    if (i === parsers.length) return jsonValueTooDeep(req.body) ? next(tooDeepError()) : next();
    parsers[i](req, res, (err?: unknown) => (err ? next(err) : withParsers(req, res, next, i + 1)));
  };
  return (req, res, next) => {
    const h = req.headers;
    const type = h['content-type'];
    const length = h['content-length'];
    const fast =
      type !== undefined && JSON_TYPE.test(type) && h['content-encoding'] === undefined && h['transfer-encoding'] === undefined &&
      length !== undefined && DIGITS.test(length) && Number(length) <= limitBytes;
    if (!fast) return withParsers(req, res, next);
    readFast(req, next);
  };
}

/** The ingestion route's reader (5 MB). */
export const readJsonBody: RequestHandler = bodyReader(BODY_LIMITS.ingestion);

/** Reads a JSON body whose headers promise the usual request (see above). */
function readFast(req: RawRequest, next: NextFunction): void {
  const chunks: Buffer[] = [];
  let done = false;
  const finish = (err?: unknown) => {
    if (done) return;
    done = true;
    next(err);
  };
  req.on('data', (c: Buffer) => chunks.push(c));
  // As raw-body reports a client that went away (nobody reads the answer, but the log says why).
  req.once('aborted', () => finish(Object.assign(new Error('request aborted'), { status: 400, statusCode: 400, type: 'request.aborted' })));
  req.once('error', (err) => finish(Object.assign(err, { status: 400, statusCode: 400 })));
  req.once('end', () => {
    const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    req.rawBody = raw;
    if (jsonTextTooDeep(raw)) return finish(tooDeepError());
    let text = '';
    try {
      text = decodeUtf8(raw);
      req.body = parseStrict(text);
    } catch (err) {
      // The properties body-parser's error carries (http-errors): Nest answers a 400 SyntaxError with 400.
      return finish(Object.assign(err as Error, { status: 400, statusCode: 400, expose: true, body: text, type: 'entity.parse.failed' }));
    }
    finish();
  });
}

/** UTF-8 as iconv-lite decodes it for body-parser: a leading byte order mark is dropped. */
function decodeUtf8(raw: Buffer): string {
  const text = raw.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** body-parser's strict JSON parse, with its error messages (a SyntaxError, which Nest answers with 400). */
export function parseStrict(text: string): unknown {
  if (text.length === 0) return {};
  if (text[0] !== '{' && text[0] !== '[') {
    const first = FIRST_NON_WHITESPACE.exec(text)?.[1] || undefined;
    if (first !== '{' && first !== '[') throw strictViolation(text, first);
  }
  return JSON.parse(text);
}

/** As body-parser words it: JSON.parse's message for the text with everything from `char` on masked. */
function strictViolation(text: string, char: string | undefined): SyntaxError {
  const index = text.indexOf(char as string);
  const partial = index !== -1 ? text.substring(0, index) + '#'.repeat(text.length - index) : '';
  try {
    JSON.parse(partial);
    return new SyntaxError('strict violation');
  } catch (e) {
    return new SyntaxError((e as Error).message.replace(/#+/g, (p) => text.substring(index, index + p.length)));
  }
}
