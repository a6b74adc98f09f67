// What the sections of test/e2e/security.e2e-spec.ts share. They run against one app on
// purpose: the secrets section scans every answer and log line the other sections produced.
import request from 'supertest';
import { JiraSimulator } from '../../jira-sim';
import { CapturingLogger, captureProcessOutput } from '../../support/captured-logs';
import { configureJira } from '../../support/jira';
import { createProject, TestApp } from '../../support/test-app';

export type Seen = { method: string; path: string; status: number; text: string };

/** Routes every request of `app.http()` / `app.admin()` through a recorder of the answers. */
export function recordAnswers(app: TestApp, seen: Seen[]): void {
  const http = () => {
    const agent = request(app.url);
    const wrap = (method: 'get' | 'post' | 'put' | 'patch' | 'delete') => (path: string) =>
      agent[method](path).on('response', (res: { status: number; text?: string; headers: unknown }) => {
        seen.push({ method: method.toUpperCase(), path, status: res.status, text: `${JSON.stringify(res.headers)}\n${res.text ?? ''}` });
      });
    return { get: wrap('get'), post: wrap('post'), put: wrap('put'), patch: wrap('patch'), delete: wrap('delete') } as unknown as ReturnType<TestApp['http']>;
  };
  app.http = http;
  app.admin = (method, path) => http()[method](path).set('Authorization', `Bearer ${app.adminToken}`);
}

export interface SecuritySuite {
  /** The app and simulators exist once the suite's beforeAll has run. */
  readonly app: TestApp;
  readonly cloud: JiraSimulator;
  readonly dc: JiraSimulator;
  readonly output: ReturnType<typeof captureProcessOutput>;
  readonly logs: CapturingLogger;
  /** Every answer of `app.http()` / `app.admin()`. */
  readonly seen: Seen[];
  readonly ADMIN_TOKEN: string;
  readonly JIRA_TOKEN: string;
  readonly PAT: string;
  readonly WRONG_TOKEN: string;
  /** Every ingest token and webhook secret handed out during the suite. */
  readonly ingestTokens: string[];
  readonly webhookSecrets: string[];
  newProject(): ReturnType<typeof createProject>;
  configure(key: string, sim: JiraSimulator, overrides?: Record<string, unknown>): ReturnType<typeof configureJira>;
}
