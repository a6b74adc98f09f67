// Transport behaviour of JiraClient against a bare local HTTP server (things the Jira
// simulator does not do: hanging responses, redirects, HTML error pages, secret hygiene).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  JiraClient,
  type JiraAttemptInfo,
  JiraConfigError,
  JiraError,
  type JiraClientOptions,
} from '@app/modules/jira/client';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const TOKEN = 'tok-SECRET-123';

describe('JiraClient transport', () => {
  let server: http.Server;
  let handler: Handler;
  let baseUrl: string;
  const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        handler(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

  const client = (options: JiraClientOptions = {}, auth: 'basic' | 'bearer' = 'basic') =>
    new JiraClient(
      {
        apiUrl: `${baseUrl}/jira`,
        auth: auth === 'basic' ? { type: 'basic', email: 'bot@acme.com', apiToken: TOKEN } : { type: 'bearer', token: TOKEN },
        flavour: 'datacenter',
      },
      { retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...options },
    );

  it('sends auth, JSON and User-Agent headers to the normalised base', async () => {
    handler = (_req, res) => json(res, 200, { name: 'bot' });
    await client().myself();
    await client({}, 'bearer').myself();
    expect(seen[0].url).toBe('/jira/rest/api/2/myself');
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from(`bot@acme.com:${TOKEN}`).toString('base64')}`);
    expect(seen[0].headers['user-agent']).toBe('crashbridge');
    expect(seen[0].headers.accept).toBe('application/json');
    expect(seen[1].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('goes straight to Jira even when HTTP_PROXY is set: the proxy sees neither the request nor the token', async () => {
    const proxied: string[] = [];
    const proxy = http.createServer((req, res) => {
      proxied.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      json(res, 200, { name: 'from-proxy' });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    process.env.HTTP_PROXY = process.env.http_proxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    try {
      handler = (_req, res) => json(res, 200, { name: 'bot' });
      await expect(client().myself()).resolves.toMatchObject({ name: 'bot' });
      expect(proxied).toEqual([]);
      expect(seen).toHaveLength(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('reads at most maxResponseBytes of an answer and does not retry a larger one', async () => {
    handler = (_req, res) => json(res, 200, { name: 'x'.repeat(5000) });
    const err = await client({ maxResponseBytes: 1000 }).myself().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JiraError);
    expect(err).toMatchObject({ kind: 'server', retryable: false, detail: 'answer larger than 1000 bytes' });
    expect(seen).toHaveLength(1);
  });

  it('sends bodies as JSON, including bare strings for issue properties', async () => {
    handler = (_req, res) => json(res, 200, undefined);
    await client().setIssueProperty('CHK-1', 'crashbridge', 'fp-1');
    expect(seen[0].method).toBe('PUT');
    expect(seen[0].url).toBe('/jira/rest/api/2/issue/CHK-1/properties/crashbridge');
    expect(seen[0].headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(seen[0].body)).toBe('fp-1');
  });

  it('rejects bad connection settings before any request', () => {
    expect(() => new JiraClient({ apiUrl: 'ftp://x', auth: { type: 'bearer', token: 't' } })).toThrow(JiraConfigError);
    expect(
      () => new JiraClient({ apiUrl: 'https://x', auth: { type: 'basic', apiToken: 't' } as never }),
    ).toThrow(/email or a username/);
    expect(() => new JiraClient({ apiUrl: 'https://x', auth: { type: 'bearer', token: '' } })).toThrow(JiraConfigError);
  });

  it('never exposes the token: errors, JSON, inspect, onAttempt', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'text/html' });
      res.end('<html><head><title>Unauthorized (401)</title></head><body>Login</body></html>');
    };
    const infos: JiraAttemptInfo[] = [];
    const c = client({ onAttempt: (i) => infos.push(i) });
    const error = (await c.myself().catch((e: unknown) => e)) as JiraError;
    expect(error).toBeInstanceOf(JiraError);
    expect(error.kind).toBe('auth');
    expect(error.message).toBe('Jira 401: Unauthorized (401)');
    const basic = Buffer.from(`bot@acme.com:${TOKEN}`).toString('base64');
    for (const text of [
      error.message,
      error.stack ?? '',
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      inspect(c, { depth: 10, showHidden: true }),
      JSON.stringify(c),
      JSON.stringify(infos),
    ]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(basic);
    }
    expect(infos).toEqual([
      expect.objectContaining({ method: 'GET', path: 'myself', status: 401, outcome: 'auth', attempt: 1 }),
    ]);
  });

  it('treats X-Seraph-LoginReason AUTHENTICATION_DENIED as auth (CAPTCHA)', async () => {
    handler = (_req, res) => json(res, 403, { errorMessages: [] }, { 'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED' });
    await expect(client().myself()).rejects.toMatchObject({ kind: 'auth', status: 403, message: expect.stringMatching(/CAPTCHA/) });
  });

  it('does not follow redirects, and names the target without its query', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { location: 'https://sso.example.com/login?token=abc' });
      res.end();
    };
    const error = (await client().myself().catch((e: unknown) => e)) as JiraError;
    expect(error.kind).toBe('bad_request');
    expect(error.status).toBe(302);
    expect(error.message).toContain('https://sso.example.com/login');
    expect(error.message).not.toContain('token=abc');
    expect(seen).toHaveLength(1);
  });

  it('times out a hanging GET, retries it, and reports timeout', async () => {
    let n = 0;
    handler = (_req, res) => {
      if (++n === 1) return; // never answer the first
      json(res, 200, { name: 'bot' });
    };
    const infos: JiraAttemptInfo[] = [];
    const c = client({ timeoutMs: 200, onAttempt: (i) => infos.push(i) });
    await expect(c.myself()).resolves.toEqual({ name: 'bot' });
    expect(infos.map((i) => i.outcome)).toEqual(['timeout', 'ok']);
    expect(infos[0].retryInMs).toBeDefined();
    expect(infos[0].durationMs).toBeGreaterThanOrEqual(150);
  });

  it('throws unknown_outcome when a create times out, without retrying', async () => {
    handler = () => undefined; // never answers
    const c = client({ timeoutMs: 200 });
    const error = (await c.createIssue({ summary: 'x' }).catch((e: unknown) => e)) as JiraError;
    expect(error.kind).toBe('unknown_outcome');
    expect(error.mayHaveBeenProcessed).toBe(true);
    expect(error.message).toMatch(/POST issue/);
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('retries a create refused before connecting (ECONNREFUSED) and gives up as network', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const c = new JiraClient(
      { apiUrl: `http://127.0.0.1:${port}`, auth: { type: 'bearer', token: TOKEN } },
      { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } },
    );
    const error = (await c.createIssue({ summary: 'x' }).catch((e: unknown) => e)) as JiraError;
    expect(error.kind).toBe('network');
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.attempts).toBe(3);
    expect(error.message).not.toContain(TOKEN);
  });

  it('parses plain-text and JSON "message" error bodies', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('Client must be authenticated to access this resource.');
    };
    await expect(client().myself()).rejects.toMatchObject({
      message: 'Jira 401: Client must be authenticated to access this resource.',
    });
    handler = (_req, res) => json(res, 403, { message: 'Forbidden for this app', 'status-code': 403 });
    await expect(client().myself()).rejects.toMatchObject({ kind: 'forbidden', errorMessages: ['Forbidden for this app'] });
  });

  it('does not put query strings into onAttempt paths', async () => {
    handler = (_req, res) => json(res, 200, []);
    const infos: JiraAttemptInfo[] = [];
    await client({ onAttempt: (i) => infos.push(i) }).findUserByEmail('alice@acme.com');
    expect(seen[0].url).toMatch(/user\/search\?username=alice%40acme\.com/);
    expect(infos[0].path).toBe('user/search');
    expect(JSON.stringify(infos)).not.toContain('alice');
  });

  it('a throwing onAttempt hook does not break calls', async () => {
    handler = (_req, res) => json(res, 200, { name: 'bot' });
    const c = client({
      onAttempt: () => {
        throw new Error('metrics down');
      },
    });
    await expect(c.myself()).resolves.toEqual({ name: 'bot' });
  });

  it('falls back to datacenter for bearer auth when serverInfo fails', async () => {
    handler = (_req, res) => json(res, 500, { errorMessages: ['boom'] });
    const c = new JiraClient(
      { apiUrl: baseUrl, auth: { type: 'bearer', token: TOKEN } },
      { retry: { maxAttempts: 1 } },
    );
    await expect(c.flavour()).resolves.toBe('datacenter');
    const basic = new JiraClient(
      { apiUrl: baseUrl, auth: { type: 'basic', username: 'bob', apiToken: TOKEN } },
      { retry: { maxAttempts: 1 } },
    );
    await expect(basic.flavour()).rejects.toMatchObject({ kind: 'server' });
  });

  it('caches findUserByEmail answers (including "nobody") per client', async () => {
    let t = 0;
    handler = (req, res) =>
      json(res, 200, req.url?.includes('alice') ? [{ name: 'alice', emailAddress: 'Alice@Acme.com', active: true }] : []);
    const c = client({ retry: { now: () => t }, userCacheTtlMs: 60_000 });
    await expect(c.findUserByEmail('alice@acme.com')).resolves.toEqual({ name: 'alice' });
    await expect(c.findUserByEmail('ALICE@acme.com ')).resolves.toEqual({ name: 'alice' });
    await expect(c.findUserByEmail('nobody@acme.com')).resolves.toBeNull();
    await expect(c.findUserByEmail('nobody@acme.com')).resolves.toBeNull();
    expect(seen).toHaveLength(2);
    t += 61_000;
    await c.findUserByEmail('alice@acme.com');
    expect(seen).toHaveLength(3);
  });
});
