// Helpers for the strict-mode simulator specs: a REST client over HTTP and a webhook receiver.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JiraSimulator, JiraSimOptions } from '../../jira-sim';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
export type Json = any;
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

/** Paths are relative to apiUrl, or to baseUrl when they start with /rest. Reads the credentials at each call. */
export function client(sim: JiraSimulator, auth: 'basic' | 'bearer' = 'basic') {
  return async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const c = sim.credentials;
    const user = sim.flavour === 'cloud' ? c.email : c.username;
    const headers: Record<string, string> = {
      authorization: auth === 'basic' ? 'Basic ' + Buffer.from(`${user}:${c.apiToken}`).toString('base64') : `Bearer ${c.pat}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = path.startsWith('/rest') ? sim.baseUrl + path : sim.apiUrl + path;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: Json;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
}

export const bug = (summary: string, extra: Record<string, unknown> = {}, project = 'CHK') => ({
  fields: { project: { key: project }, issuetype: { name: 'Bug' }, summary, ...extra },
});

/** Starts simulators and stops them after each test. */
export function simulators() {
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

export async function receiver() {
  const got: Array<{ url: string; headers: http.IncomingHttpHeaders; raw: string; json: Json }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({ url: req.url ?? '', headers: req.headers, raw, json: raw ? JSON.parse(raw) : undefined });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/jira`;
  const close = () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  return { url, got, close };
}
