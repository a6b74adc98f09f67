import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';

/**
 * The real service (src/main.ts) as a child process, for tests that need a process
 * to die for real (SIGKILL) and a new one to take over.
 *
 * Runs `node -r @swc-node/register src/main.ts` from the repository root.
 * @swc-node/register reads tsconfig.json (experimentalDecorators +
 * emitDecoratorMetadata), so Nest's constructor injection and the
 * ValidationPipe's DTO metatypes work as in the compiled build.
 */

const ROOT = join(__dirname, '..', '..');

/** Variables of the service's configuration (src/config/env.schema.ts): never inherited from the test process. */
const SERVICE_VARS = [
  'PORT', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'ROLE', 'ADMIN_TOKEN', 'ENCRYPTION_KEY', 'PUBLIC_URL',
  'RESYNC_INTERVAL_SECONDS', 'LOG_LEVEL', 'WORKER_CONCURRENCY', 'JIRA_SEARCH_CONSISTENCY_SECONDS', 'QUEUE_PREFIX',
];
/** Kept in memory per stream; older output is dropped. */
const MAX_CAPTURE = 2 * 1024 * 1024;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServiceOptions {
  /** The service's environment (ROLE, DATA_DIR, DATABASE_URL, ...). PORT is chosen here unless given. */
  env: Record<string, string>;
  /** How long to wait for readiness (default 60 s). */
  startTimeoutMs?: number;
}

export interface ChildService {
  pid: number;
  role: string;
  /** Base URL (http://127.0.0.1:PORT) when the role serves HTTP (api/all). */
  url?: string;
  /** Resolves once the process has exited, with its exit code or the signal that ended it. */
  exited: Promise<ChildExit>;
  /** True until `exited` resolves. */
  readonly running: boolean;
  /** Sends a signal (default SIGTERM) and resolves with the exit. */
  kill(signal?: NodeJS.Signals): Promise<ChildExit>;
  /** SIGTERM (graceful shutdown), SIGKILL if still alive after graceMs. Never throws. */
  stop(graceMs?: number): Promise<ChildExit>;
  stdout(): string;
  stderr(): string;
  /** Last lines of stdout and stderr, for a failure message. */
  tail(lines?: number): string;
  /** supertest against `url` (HTTP roles only). */
  http(): ReturnType<typeof request>;
  /** supertest with the ADMIN_TOKEN from env preset (HTTP roles only). */
  admin(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string): request.Test;
}

/** A port that was free a moment ago (main.ts does not print the port PORT=0 picked). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Children still alive when the test process exits are killed (jest --forceExit, a crashed test). */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of alive) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

class Capture {
  private chunks: string[] = [];
  private size = 0;

  push(chunk: string): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > MAX_CAPTURE && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }

  text(): string {
    return this.chunks.join('');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function healthOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts the service and waits until it is ready: `/health` answers 200 for
 * ROLE=api|all; for ROLE=worker (no HTTP server) the "crashbridge started" log
 * line. Rejects, with the child's output, if it exits or is not ready in time.
 */
export async function startChildService(opts: ChildServiceOptions): Promise<ChildService> {
  const role = opts.env.ROLE ?? 'all';
  const servesHttp = role !== 'worker';
  const port = opts.env.PORT ?? String(await freePort());
  const inherited: Record<string, string | undefined> = { ...process.env };
  for (const k of [...SERVICE_VARS, 'NODE_OPTIONS']) delete inherited[k];
  const env = { ...inherited, LOG_LEVEL: 'info', ...opts.env, PORT: port };

  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`could not start the service: ${err.message}`);
  }
  alive.add(child);
  const out = new Capture();
  const err = new Capture();
  child.stdout!.setEncoding('utf8').on('data', (c: string) => out.push(c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => err.push(c));
  let running = true;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      alive.delete(child);
      resolve({ code, signal });
    });
  });

  const url = servesHttp ? `http://127.0.0.1:${port}` : undefined;
  const adminToken = opts.env.ADMIN_TOKEN;
  const tail = (lines = 40) => {
    const last = (s: string) => s.split('\n').slice(-lines).join('\n');
    return `--- stdout (last ${lines} lines) ---\n${last(out.text())}\n--- stderr (last ${lines} lines) ---\n${last(err.text())}`;
  };
  const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (running) child.kill(signal);
    return exited;
  };
  const service: ChildService = {
    pid: child.pid,
    role,
    url,
    exited,
    get running() {
      return running;
    },
    kill,
    async stop(graceMs = 15_000) {
      if (!running) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => running && child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    stdout: () => out.text(),
    stderr: () => err.text(),
    tail,
    http() {
      if (!url) throw new Error(`ROLE=${role} serves no HTTP`);
      return request(url);
    },
    admin(method, path) {
      if (!adminToken) throw new Error('admin() needs ADMIN_TOKEN in env');
      return service.http()[method](path).set('Authorization', `Bearer ${adminToken}`);
    },
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (!running) {
      const how = await exited;
      throw new Error(`service (ROLE=${role}) exited before it was ready (code ${how.code}, signal ${how.signal})\n${tail()}`);
    }
    const ready = servesHttp ? await healthOk(url!) : out.text().includes('"msg":"crashbridge started"');
    if (ready) return service;
    if (Date.now() > deadline) {
      await service.stop(2_000);
      throw new Error(`service (ROLE=${role}) not ready within ${opts.startTimeoutMs ?? 60_000} ms\n${tail()}`);
    }
    await sleep(100);
  }
}
