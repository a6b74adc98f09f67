import { request as httpRequest } from 'node:http';

export interface HttpResult {
  /** 0 when no answer came (refused, reset, timed out): see `error`. */
  status: number;
  body: any;
  /** raw body text, to check that no stack trace leaks */
  text: string;
  ms: number;
  error?: string;
  /** ms since the epoch when the request was sent */
  sentAt: number;
}

/**
 * One request on a fresh connection (no keep-alive): whether a request reached the
 * server is then a matter of its own connection, which the SIGTERM fault relies on,
 * and a stuck pooled socket can never make a later request look hung.
 */
export function http(
  method: string,
  url: string,
  opts: { body?: unknown; token?: string; timeoutMs?: number; /** send half the body, the rest this much later */ slowBodyMs?: number } = {},
): Promise<HttpResult> {
  const sentAt = Date.now();
  const data = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<HttpResult, 'ms' | 'sentAt'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, ms: Date.now() - sentAt, sentAt });
    };
    const headers: Record<string, string> = { Connection: 'close' };
    if (data) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(data.length) });
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        done({ status: res.statusCode ?? 0, body, text });
      });
      res.on('error', (e) => done({ status: 0, body: null, text, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.setTimeout(opts.timeoutMs ?? 15_000, () => {
      done({ status: 0, body: null, text: '', error: 'TIMEOUT' });
      req.destroy();
    });
    req.on('error', (e) => done({ status: 0, body: null, text: '', error: (e as NodeJS.ErrnoException).code ?? e.message }));
    if (data && opts.slowBodyMs) {
      // The server has the request (headers and part of the body) well before it is complete.
      req.write(data.subarray(0, data.length >> 1));
      setTimeout(() => req.end(data.subarray(data.length >> 1)), opts.slowBodyMs);
    } else {
      req.end(data);
    }
  });
}
