import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../support/child-service';

/**
 * The built service (dist/src/main.js) as a child process: what production runs.
 * scripts/test-faults.mjs builds it and hands over a private copy (FAULTS_DIST_MAIN,
 * with NODE_PATH to the repository's node_modules), so a rebuild by someone else in
 * the same tree (nest build empties dist/ first) cannot pull it away mid-run.
 */

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = process.env.FAULTS_DIST_MAIN ?? join(ROOT, 'dist', 'src', 'main.js');
const SERVICE_VARS = ['PORT', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'ROLE', 'ADMIN_TOKEN', 'ENCRYPTION_KEY', 'PUBLIC_URL', 'RESYNC_INTERVAL_SECONDS',
  'LOG_LEVEL', 'WORKER_CONCURRENCY', 'JIRA_SEARCH_CONSISTENCY_SECONDS', 'JOB_LOCK_SECONDS', 'QUEUE_PREFIX', 'NODE_OPTIONS'];
const KEEP_OUTPUT = 512 * 1024;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  pid: number;
  role: string;
  /** http://127.0.0.1:PORT for ROLE=api|all */
  url?: string;
  readonly running: boolean;
  exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): Promise<Exit>;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<Exit>;
  output(): string;
  tail(lines?: number): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = new Set<ChildProcess>();
process.once('exit', () => alive.forEach((c) => c.kill('SIGKILL')));

export async function startService(env: Record<string, string>, startTimeoutMs = 60_000): Promise<ServiceProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npx nest build" (scripts/test-faults.mjs does)`);
  const role = env.ROLE ?? 'all';
  const port = env.PORT ?? String(await freePort());
  const inherited: Record<string, string | undefined> = { ...process.env };
  for (const k of SERVICE_VARS) delete inherited[k];
  const child = spawn(process.execPath, [MAIN], {
    cwd: env.DATA_DIR ?? ROOT,
    env: { ...inherited, NODE_PATH: process.env.FAULTS_NODE_PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  let out = '';
  const keep = (c: string) => {
    out += c;
    if (out.length > KEEP_OUTPUT) out = out.slice(-KEEP_OUTPUT / 2);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  let running = true;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      alive.delete(child);
      resolve({ code, signal });
    }),
  );
  const url = role === 'worker' ? undefined : `http://127.0.0.1:${port}`;
  const svc: ServiceProcess = {
    pid: child.pid!,
    role,
    url,
    get running() {
      return running;
    },
    exited,
    kill(signal) {
      if (running) child.kill(signal);
      return exited;
    },
    async stop(graceMs = 35_000) {
      if (!running) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => running && child.kill('SIGKILL'), graceMs);
      const e = await exited;
      clearTimeout(t);
      return e;
    },
    output: () => out,
    tail: (lines = 40) => `--- ${role} pid ${child.pid} ---\n${out.split('\n').slice(-lines).join('\n')}`,
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (!running) throw new Error(`service (ROLE=${role}) exited before it was ready: ${JSON.stringify(await exited)}\n${svc.tail()}`);
    // The "started" line comes after the HTTP server listens (api) or the worker is set up.
    if (out.includes('"msg":"crashbridge started"')) return svc;
    if (Date.now() > deadline) {
      await svc.stop(2_000);
      throw new Error(`service (ROLE=${role}) not ready within ${startTimeoutMs} ms\n${svc.tail()}`);
    }
    await sleep(50);
  }
}
