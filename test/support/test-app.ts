import { LoggerService } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startService, RunningService } from '@app/bootstrap';
import { createServiceLogger } from '@app/common/logging/service-logger';
import { AppConfig } from '@app/config/app-config';
import { loadConfig } from '@app/config/load-config';
import { createMigratedTestDatabase } from './databases';
import { seedEmbeddedDataDir } from './embedded-template';
import { watchResponses } from './openapi-validation';
import { redisUrl, runId, testMode } from './test-env';

export interface TestApp {
  config: AppConfig;
  service: RunningService;
  url: string;
  adminToken: string;
  /** supertest against the running server, admin token preset via `admin()`. */
  http: () => ReturnType<typeof request>;
  admin: (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) => request.Test;
  dataSource: DataSource;
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  /** Reuse a database (postgres mode) or data directory (embedded) to test restarts. */
  reuse?: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'queuePrefix'>;
  env?: Record<string, string>;
  /** Log output for debugging a test: set TEST_LOGS=1. */
  /** Replaces that quiet default logger, e.g. with one that captures every line (test/support/captured-logs.ts). */
  logger?: LoggerService;
}

/** Quiet unless TEST_LOGS=1. */
const logger = createServiceLogger(process.env.TEST_LOGS ? 'debug' : 'fatal');

/**
 * Boots the whole service through the same startService() as main.ts, in the
 * suite's mode: PostgreSQL + Redis/Bull, or embedded PGlite + in-process jobs.
 */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const mode = testMode();
  const dataDir = opts.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'crashbridge-test-'));
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    RESYNC_INTERVAL_SECONDS: '0',
    // Every spec's requests come from 127.0.0.1: the specs of the limit set it themselves.
    WEBHOOK_REJECTIONS_PER_MINUTE: '0',
    // The suites send many wrong tokens from one address on purpose; security-http tests the limit.
    API_TOKEN_FAILURES_PER_MINUTE: '100000',
    // Starts with the run id, so the runner can delete this run's Redis keys at the end.
    QUEUE_PREFIX: opts.reuse?.queuePrefix ?? `cbtest-${runId()}-${randomBytes(4).toString('hex')}`,
    ...opts.env,
  };
  if (mode === 'postgres') {
    env.DATABASE_URL = opts.reuse?.databaseUrl ?? opts.env?.DATABASE_URL ?? (await createMigratedTestDatabase());
    env.REDIS_URL = redisUrl();
  } else if (!opts.reuse?.dataDir && !opts.env?.DATA_DIR && !opts.env?.DATABASE_URL) {
    await seedEmbeddedDataDir(dataDir);
  }
  const config = loadConfig(env);
  const service = await startService(config, opts.logger ?? logger);
  const url = service.url!;
  watchResponses(service.app);
  const http = () => request(url);
  return {
    config,
    service,
    url,
    adminToken: config.adminToken,
    http,
    admin: (method, path) => http()[method](path).set('Authorization', `Bearer ${config.adminToken}`),
    dataSource: service.app.get(DataSource),
    async stop({ keepData = false } = {}) {
      await service.stop();
      if (!keepData && mode === 'embedded') rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a project and returns its key and ingest token. */
export async function createProject(app: TestApp, key = `p-${randomBytes(4).toString('hex')}`): Promise<{ key: string; ingestToken: string }> {
  const res = await app.admin('post', '/api/v1/projects').send({ key, name: `Project ${key}` }).expect(201);
  return { key, ingestToken: res.body.ingestToken };
}

/** The database id of a project, by key. */
export async function projectIdOf(app: TestApp, key: string): Promise<string> {
  const rows: Array<{ id: string }> = await app.dataSource.query(`SELECT id FROM projects WHERE key = $1`, [key]);
  if (!rows[0]) throw new Error(`no project '${key}'`);
  return String(rows[0].id);
}

/** Polls until fn returns a truthy value or the time is up. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
