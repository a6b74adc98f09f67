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
  body: Json;
}

/** A REST client for the simulator: paths are relative to apiUrl, or to baseUrl when they start with /rest. */
export function client(sim: JiraSimulator, auth: 'basic' | 'bearer' | string | null = 'basic') {
  const c = sim.credentials;
  const user = sim.flavour === 'cloud' ? c.email : c.username;
  const header =
    auth === 'basic' ? 'Basic ' + Buffer.from(`${user}:${c.apiToken}`).toString('base64') : auth === 'bearer' ? `Bearer ${c.pat}` : auth;
  return async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> => {
    const url = path.startsWith('/rest') ? sim.baseUrl + path : sim.apiUrl + path;
    const headers: Record<string, string> = {};
    if (header) headers.authorization = header;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
}

export const bug = (summary: string, extra: Record<string, unknown> = {}) => ({
  fields: { project: { key: 'CHK' }, issuetype: { name: 'Bug' }, summary, ...extra },
});

/** A tiny webhook receiver that records raw bodies and headers. */
export async function receiver(status = 200) {
  const got: Array<{ url: string; headers: http.IncomingHttpHeaders; raw: string; json: Json }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({ url: req.url ?? '', headers: req.headers, raw, json: JSON.parse(raw) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/jira/checkout`;
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
