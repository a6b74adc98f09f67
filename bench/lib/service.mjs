// The service under test, in one of its two storage modes, and the context scenarios get.
//   postgres: PostgreSQL (a fresh database) + Bull on Redis, as in production;
//   embedded: PGlite in the service process + the in-process outbox runner (npm start).
import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from './load.mjs';
import { freePort, startNode, waitHealthy } from './processes.mjs';
import { query } from './stores.mjs';

export const MODES = {
  postgres: { label: 'PostgreSQL + Redis', describe: (o) => `ROLE=${o.role}, PostgreSQL and Bull on Redis, LOG_LEVEL=warn, pool 20` },
  embedded: { label: 'embedded', describe: () => 'ROLE=all, embedded PGlite (one connection) and in-process jobs, LOG_LEVEL=warn' },
};

/** Starts dist/src/main.js in `mode` and waits until /health answers; `label` (default: the mode) names its files and log lines. */
export async function startService({ mode, label = mode, options, repoDir, benchDir, tmpDir, adminToken, databaseUrl, queuePrefix, log }) {
  const port = await freePort();
  const profileDir = join(benchDir, 'tmp', 'profiles');
  const storage =
    mode === 'postgres'
      ? { DATABASE_URL: databaseUrl, REDIS_URL: options.redisUrl, QUEUE_PREFIX: queuePrefix, ROLE: options.role }
      : { ROLE: 'all' };
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    ADMIN_TOKEN: adminToken,
    DATA_DIR: join(tmpDir, `data-${label}`),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...storage,
    ...(options.countQueries ? { PG_QUERY_COUNT_FILE: join(tmpDir, `pg-queries-${label}.json`) } : {}),
  };
  const proc = startNode({
    name: `service (${label})`,
    script: join(repoDir, 'dist', 'src', 'main.js'),
    cwd: repoDir,
    nodeArgs: [
      ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(options.countQueries ? ['-r', join(benchDir, 'tools', 'pg-query-counter.cjs')] : []),
    ],
    env,
    logFile: join(tmpDir, `service-${label}.log`),
  });
  const t = performance.now();
  await waitHealthy(proc, port, '/health', 90_000);
  log(`service (${label}) pid ${proc.pid} healthy on port ${port} after ${Math.round(performance.now() - t)} ms`);
  // BENCH_ROLE=api: the docker-compose topology, the jobs in a ROLE=worker process of their own (its CPU counts as other work).
  const worker = mode === 'postgres' && options.role === 'api' ? await startWorker({ label, repoDir, tmpDir, env, log }) : null;
  return { mode, label, port, pid: proc.pid, proc, worker };
}

/** A ROLE=worker process beside the API one, with its environment; ready once it serves /metrics. */
async function startWorker({ label, repoDir, tmpDir, env: apiEnv, log }) {
  const metricsPort = await freePort();
  const worker = startNode({
    name: `worker (${label})`,
    script: join(repoDir, 'dist', 'src', 'main.js'),
    cwd: repoDir,
    env: { ...Object.fromEntries(Object.entries(apiEnv).filter(([k]) => k !== 'PORT')), ROLE: 'worker', METRICS_PORT: String(metricsPort) },
    logFile: join(tmpDir, `worker-${label}.log`),
  });
  await waitHealthy(worker, metricsPort, '/metrics', 90_000);
  log(`worker (${label}) pid ${worker.pid} ready`);
  return worker;
}

/**
 * Stops a service startService started and logs how it ended; an exit other than 0 is noted as a shutdown
 * problem (in the results) unless `quiet` (the run failed already, and says why).
 */
export async function stopService(service, { log, notes, quiet = false }) {
  if (service.worker) await stopService({ label: `worker (${service.label})`, proc: service.worker }, { log, notes, quiet });
  const r = await service.proc.stop();
  log(`service (${service.label}) stopped with ${r.signal ?? `exit code ${r.code}`} after ${r.ms} ms`);
  if (r.code !== 0 && !quiet) notes.push({ scenario: 'shutdown', text: `${service.label}: SIGTERM → ${r.signal ?? `exit code ${r.code}`} after ${r.ms} ms` });
}

async function createProject(port, adminToken) {
  const agent = new http.Agent({ keepAlive: false });
  const res = await request(agent, {
    port,
    path: '/api/v1/projects',
    headers: { authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ key: 'bench', name: 'Benchmark' }),
  });
  if (res.status !== 201) throw new Error(`POST /api/v1/projects → ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

/** Unfinished outbox rows, from /metrics (embedded mode: its database is inside the service). */
async function outboxLeftFromMetrics(port) {
  const res = await request(new http.Agent({ keepAlive: false }), { port, method: 'GET', path: '/metrics' });
  let left = 0;
  for (const m of res.body.matchAll(/^crashbridge_queue_depth\{status="[a-z]+"\} (\d+)/gm)) left += Number(m[1]);
  return left;
}

/**
 * The context a scenario's run(ctx) gets: the service, its project, notes, CPU readings
 * and the outbox backlog, the same in both modes.
 */
export async function makeContext({ service, options, benchDir, tmpDir, databaseUrl, adminToken, state, notes, meta, log }) {
  const project = await createProject(service.port, adminToken);
  const ctx = {
    options,
    benchDir,
    tmpDir,
    mode: service.mode,
    databaseUrl,
    adminToken,
    project,
    service: { port: service.port, pid: service.pid },
    state,
    note: (scenario, text) => {
      notes.push({ scenario, text });
      log(`${scenario}: ${text}`);
    },
    /** Pids of the PostgreSQL backends serving the run's database (for cpuWindow); none in embedded mode. */
    async backendPids() {
      if (!databaseUrl) return new Set();
      const rows = await query(databaseUrl, `SELECT pid::text FROM pg_stat_activity WHERE datname = current_database()`);
      return new Set(rows.map((r) => r.pid));
    },
    /** Outbox rows not finished yet. */
    async outboxLeft() {
      if (!databaseUrl) return outboxLeftFromMetrics(service.port);
      const [{ left }] = await query(databaseUrl, `SELECT count(*)::int AS left FROM outbox WHERE status IN ('pending', 'queued', 'processing')`);
      return left;
    },
    /** Notes a cpuWindow() reading, tracks other work on the machine, returns CPU ms per item. */
    cpuNote(scenario, who, cpu, items, per) {
      meta.busiestRest = Math.max(meta.busiestRest ?? 0, cpu.rest);
      const processMsPerItem = (cpu.measured * cpu.seconds * 1000) / items;
      const postgresMsPerItem = (cpu.postgres * cpu.seconds * 1000) / items;
      const pg = databaseUrl ? `postgres (this database's backends) ${cpu.postgres}` : 'PGlite inside the service';
      ctx.note(
        scenario,
        `${who} CPU in cores over ${cpu.seconds} s: machine ${cpu.machine}, ${who} ${cpu.measured}, ${pg}, load generator ${cpu.loadGenerator}, other work ${cpu.rest}` +
          `; per ${per}: ${who} ${processMsPerItem.toFixed(2)} ms` + (databaseUrl ? `, postgres ${postgresMsPerItem.toFixed(2)} ms` : ''),
      );
      return { processMsPerItem, postgresMsPerItem };
    },
    /** Waits (bounded) until the service's job backlog is done, so it does not eat into the next measurement. */
    async quiesce(maxMs = 15_000) {
      const deadline = performance.now() + maxMs;
      let left = 0;
      while (performance.now() < deadline) {
        left = await ctx.outboxLeft();
        if (left === 0) return;
        await sleep(250);
      }
      ctx.note('quiesce', `${left} outbox jobs still unfinished after ${maxMs} ms; measuring anyway`);
    },
  };
  return ctx;
}
