// What the JiraSimulator specs share: a plain REST client for the simulator, a Jira issue body,
// a webhook receiver, and simulators stopped after each test.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JiraSimulator, JiraSimOptions } from '../../jira-sim';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
export type Json = any;
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The answer parsed as JSON; undefined when it is empty or not JSON (Cloud's plain-text 401). */
  body: Json;
}

/**
 * A REST client for the simulator: paths are relative to apiUrl, or to baseUrl when they start with /rest.
 * `auth` is basic, bearer (the PAT), a whole Authorization header, or null for none. The credentials are
 * read at each call, so a client follows `sim.rotateToken()`.
 */
export function client(sim: JiraSimulator, auth: 'basic' | 'bearer' | string | null = 'basic') {
  const header = () => {
    const c = sim.credentials;
    const user = sim.flavour === 'cloud' ? c.email : c.username;
    return auth === 'basic' ? 'Basic ' + Buffer.from(`${user}:${c.apiToken}`).toString('base64') : auth === 'bearer' ? `Bearer ${c.pat}` : auth;
  };
  return async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> => {
    const url = path.startsWith('/rest') ? sim.baseUrl + path : sim.apiUrl + path;
    const headers: Record<string, string> = {};
    const authorization = header();
    if (authorization) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: parseJson(text) };
  };
}

function parseJson(text: string): Json {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export const bug = (summary: string, extra: Record<string, unknown> = {}, project = 'CHK') => ({
  fields: { project: { key: project }, issuetype: { name: 'Bug' }, summary, ...extra },
});

/** A tiny webhook receiver that records raw bodies and headers. */
export async function receiver(status = 200, path = '/webhooks/jira/checkout') {
  const got: Array<{ url: string; headers: http.IncomingHttpHeaders; raw: string; json: Json }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({ url: req.url ?? '', headers: req.headers, raw, json: raw ? JSON.parse(raw) : undefined });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const close = () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  return { url, got, close };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts simulators for the tests of the calling describe block and stops them after each test. */
export function useSimulators(): (opts?: JiraSimOptions) => Promise<JiraSimulator> {
  const sims: JiraSimulator[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
  });
  return async (opts: JiraSimOptions = {}) => {
    const sim = await JiraSimulator.start(opts);
    sims.push(sim);
    return sim;
  };
}
