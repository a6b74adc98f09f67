// HTTP plumbing of the simulator: credentials check, error mapping and answering.
import type * as http from 'node:http';
import type { RestResult } from './router';
import type { Flavour } from './types';
import { JiraHttpError, errorBody } from './util';

export interface Credentials {
  email: string;
  username: string;
  apiToken: string;
  pat: string;
}

export const UNAUTHENTICATED = errorBody('You are not authenticated. Authentication required to perform this operation.');

/** Cloud: Basic email:apiToken. Data Center: Basic username:password(apiToken) or Bearer <PAT>. */
export function authenticated(flavour: Flavour, c: Credentials, header: string | undefined): boolean {
  const [scheme, value = ''] = (header ?? '').split(' ', 2);
  if (/^bearer$/i.test(scheme)) return flavour === 'datacenter' && value === c.pat;
  if (!/^basic$/i.test(scheme)) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  const [user, secret] = [decoded.slice(0, sep), decoded.slice(sep + 1)];
  return sep > 0 && secret === c.apiToken && user === (flavour === 'cloud' ? c.email : c.username);
}

/**
 * The answer to a token that has expired (or was revoked): Cloud answers plain text, both send
 * X-Seraph-LoginReason: AUTHENTICATED_FAILED.
 */
export function expiredAnswer(flavour: Flavour): RestResult {
  const headers = { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' };
  if (flavour === 'cloud') return { status: 401, text: 'Client must be authenticated to access this resource.', headers };
  return { status: 401, body: UNAUTHENTICATED, headers };
}

export function parseLoose(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toResult(e: unknown): RestResult {
  if (e instanceof JiraHttpError) return { status: e.status, body: e.body, headers: e.headers };
  return { status: 500, body: errorBody(`Internal server error: ${(e as Error)?.message ?? String(e)}`) };
}

export function send(res: http.ServerResponse, r: RestResult): void {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let payload: string | undefined;
  if (r.text !== undefined) {
    payload = r.text;
    headers['content-type'] = 'text/plain;charset=UTF-8';
  } else if (r.body !== undefined && r.status !== 204) {
    payload = JSON.stringify(r.body);
    headers['content-type'] = 'application/json;charset=UTF-8';
  }
  res.writeHead(r.status, headers);
  res.end(payload);
}
