// Small helpers shared by the simulator files.
import type { IncomingMessage } from 'node:http';

/** Thrown by handlers to answer with a Jira-style error. */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`Jira ${status}: ${JSON.stringify(body)}`);
  }
}

/** Jira's error body: {"errorMessages": [...], "errors": {...}} */
export function errorBody(messages: string | string[], errors: Record<string, string> = {}) {
  return { errorMessages: Array.isArray(messages) ? messages : [messages], errors };
}

export function fail(status: number, messages: string | string[], errors: Record<string, string> = {}): never {
  throw new JiraHttpError(status, errorBody(messages, errors));
}

/** Jira's timestamp format: 2026-11-25T10:00:00.000+0000 */
export function jiraDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new JiraHttpError(413, errorBody('Request entity too large')));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
