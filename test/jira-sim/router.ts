// A minimal router for the REST endpoints under /rest/api/{2,3}.
import type { UserDef } from './data';
import type { Faults } from './faults';
import type { SimStore } from './store';
import type { Flavour, SimIssue } from './types';
import type { WebhookDispatcher } from './webhooks';
import { fail } from './util';

export interface RestCtx {
  store: SimStore;
  faults: Faults;
  searchVisibilityDelayMs: number;
  method: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  /** the authenticated user (the integration's bot) */
  actor: UserDef;
  webhooks: WebhookDispatcher;
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** a text/plain answer instead of JSON */
  text?: string;
  /** destroy the socket instead of answering (the work is done) */
  drop?: boolean;
}

export type Handler = (c: RestCtx) => RestResult;

export interface Route {
  method: string;
  re: RegExp;
  handle: Handler;
  /** also served under /rest/api/3 (Cloud only) */
  v3?: boolean;
  only?: Flavour;
}

/** route('GET', '/issue/:id/comment', handler) */
export function route(method: string, path: string, handle: Handler, opts: { v3?: boolean; only?: Flavour } = {}): Route {
  return { method, re: new RegExp('^' + path.replace(/:\w+/g, '([^/]+)') + '/?$'), handle, ...opts };
}

export function findRoute(routes: Route[], flavour: Flavour, version: string, method: string, path: string) {
  const candidates = routes.filter((r) => (!r.only || r.only === flavour) && (version !== '3' || (r.v3 && flavour === 'cloud')));
  let pathMatched = false;
  for (const r of candidates) {
    const m = r.re.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method === method) return { route: r, params: m.slice(1).map(decodeURIComponent) };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

export const ok = (body?: unknown, status = 200): RestResult => ({ status, body });
export const noContent = (): RestResult => ({ status: 204 });

/** Without Browse Projects, Jira answers 404 as if the issue did not exist. */
export function mustIssue(store: SimStore, idOrKey: string): SimIssue {
  const issue = store.permissions.has('BROWSE_PROJECTS') ? store.issue(idOrKey) : undefined;
  return issue ?? fail(404, 'Issue does not exist or you do not have permission to see it.');
}

export function intParam(v: unknown, dflt: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined || v === null || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(400, `Invalid integer value '${String(v)}'.`);
  return Math.min(n, max);
}

/** GET parameters or a POST body, as one record. */
export function params(c: RestCtx): Record<string, unknown> {
  if (c.method === 'GET') return Object.fromEntries(c.query);
  return (c.body && typeof c.body === 'object' ? c.body : {}) as Record<string, unknown>;
}
