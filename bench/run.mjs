#!/usr/bin/env node
// crashbridge benchmark: `npm run bench` (= npm run build && node bench/run.mjs).
//
// Starts the built service (dist/src/main.js) as a child process on a fresh
// PostgreSQL database and Redis, runs the scenarios in bench/scenarios/index.mjs,
// prints one JSON line per figure on stdout, writes bench/RESULTS.md, then stops
// the service with SIGTERM, drops the database and deletes the run's Redis keys.
// All traffic goes to 127.0.0.1.
//
// Environment:
//   BENCH_PG_ADMIN_URL  admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_REDIS_URL     Redis for the service's queues (default $REDIS_URL or redis://127.0.0.1:6379)
//   BENCH_ROLE          the service's ROLE (default all: HTTP and job workers in one process)
//   BENCH_SCENARIOS     comma-separated scenario ids to run (default: all)
//   BENCH_DURATION_MS   measured time per load scenario (default 10000)
//   BENCH_BATCH_UPDATE_FRACTION share of each batch updating earlier groups (default 0.5)
//   BENCH_WARMUP_MS     warm-up before measuring (default 2000)
//   BENCH_CPU_PROF=1    run the service with --cpu-prof; profiles land in bench/tmp/profiles
//                       (summarise with: node bench/tools/cpuprofile-top.mjs <file>)
//   BENCH_COUNT_QUERIES=1 count the service's SQL statements (bench/tools/pg-query-counter.cjs);
//                       written to the run's tmp folder at exit
//   BENCH_QUIET_WAIT_MS how long to wait for other CPU load on the machine to settle (default 30000)
//   BENCH_STRICT=1      exit 1 when a target is missed
//   BENCH_RESULTS       where to write the markdown (default bench/RESULTS.md; a failed run
//                       writes it to its tmp folder instead)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { scenarios as allScenarios } from './scenarios/index.mjs';
import { abortAllLoad, request } from './lib/load.mjs';
import { backgroundLoad, freePort, startNode, waitHealthy } from './lib/processes.mjs';
import { createDatabase, deleteRedisPrefix, dropDatabase, query, redisPing, serverVersion } from './lib/stores.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const env = process.env;
const options = {
  pgAdminUrl: env.BENCH_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: env.BENCH_REDIS_URL || env.REDIS_URL || 'redis://127.0.0.1:6379',
  role: env.BENCH_ROLE || 'all',
  durationMs: Number(env.BENCH_DURATION_MS || 10_000),
  warmupMs: Number(env.BENCH_WARMUP_MS || 2_000),
  cpuProf: env.BENCH_CPU_PROF === '1',
  countQueries: env.BENCH_COUNT_QUERIES === '1',
  strict: env.BENCH_STRICT === '1',
  resultsFile: env.BENCH_RESULTS || join(benchDir, 'RESULTS.md'),
  quietWaitMs: Number(env.BENCH_QUIET_WAIT_MS ?? 30_000),
  only: env.BENCH_SCENARIOS ? env.BENCH_SCENARIOS.split(',').map((s) => s.trim()) : null,
};

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function checkLocal(url, what) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`${what} must point at 127.0.0.1 (got ${host})`);
}

function evaluate(f) {
  const ratio = f.ratio !== undefined ? f.ratio : f.baseline !== undefined && f.baseline !== null ? f.value / f.baseline : null;
  let pass = null;
  if (f.target) {
    const x = f.target.on === 'ratio' ? ratio : f.value;
    const t = f.target.value;
    pass = x !== null && Number.isFinite(x) && { '>=': x >= t, '>': x > t, '<': x < t, '<=': x <= t }[f.target.op];
  }
  return { ...f, ratio, pass };
}

const fmt = (x, unit) => {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  const digits = unit === 'ms' || unit === 'MB' ? (Math.abs(x) < 10 ? 2 : 1) : Number.isInteger(x) ? 0 : Math.abs(x) >= 100 ? 0 : 2;
  return x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

function markdown(meta, figures, notes, failure) {
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`bench/run.mjs\` on ${meta.date}. Targets are for 2 cores.`,
    '',
    `- Machine: ${meta.cores} cores (${meta.cpu}), ${meta.memGb} GB RAM; Node ${process.version}; PostgreSQL ${meta.pg}; Redis ${meta.redis}`,
    `- Service: \`dist/src/main.js\` at ${meta.commit}, ROLE=${options.role}, LOG_LEVEL=warn, pool 20; load generator and baseline on the same machine`,
    `- Load: ${options.warmupMs / 1000} s warm-up (1 s for batch), ${options.durationMs / 1000} s measured per load scenario; run took ${meta.seconds} s`,
    `- Other work on the machine: ${meta.background} cores busy just before the run, up to ${meta.busiestRest ?? 0} cores during a measurement` +
      (Math.max(meta.background, meta.busiestRest ?? 0) > 0.25 ? ' (**the machine was not quiet: throughput and latency figures are skewed; CPU per request much less so**)' : ''),
    '',
    '| figure | value | baseline (same run) | ratio | target | pass/fail |',
    '|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const value = `${fmt(f.value, f.unit)} ${f.unit}`.trim();
    const base = f.baseline === undefined || f.baseline === null ? '—' : `${fmt(f.baseline, f.unit)} ${f.unit}`.trim();
    const ratio = f.ratio === null || f.ratio === undefined ? '—' : f.ratio.toFixed(2);
    const verdict = f.pass === null ? '—' : f.pass ? 'pass' : '**FAIL**';
    lines.push(`| ${f.label} | ${value} | ${base} | ${ratio} | ${f.target?.text ?? '—'} | ${verdict} |`);
  }
  if (failure) lines.push('', `**The run did not complete:** ${failure}`);
  lines.push('', '## Scenarios', '');
  for (const s of meta.scenarios) lines.push(`- \`${s.id}\`: ${s.title}`);
  lines.push(
    '- baseline: a bare `node:http` + `pg` server (pool 20, child process) doing one `INSERT … ON CONFLICT (project_id, fingerprint) DO UPDATE` into a table created `LIKE error_groups INCLUDING ALL`, under the same load as `single`',
    '',
    '## Notes',
    '',
    'CPU readings are in cores (1.0 = one core busy for the whole window, warm-up included): the machine, the measured process (service or baseline), the PostgreSQL backends serving the run\'s database, this bench process (the load generator), and other work running on the machine. CPU per request (or per 1,000 groups) divides by all requests in the window.',
    '',
  );
  for (const n of notes) lines.push(`- ${n.scenario}: ${n.text}`);
  return lines.join('\n') + '\n';
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

function gitCommit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repoDir, encoding: 'utf8' }).trim() ? ' (src/ modified)' : '';
    return sha + dirty;
  } catch {
    return 'unknown';
  }
}

async function main() {
  const started = performance.now();
  const mainJs = join(repoDir, 'dist', 'src', 'main.js');
  if (!existsSync(mainJs)) throw new Error(`${relative(repoDir, mainJs)} is missing: run npm run build (npm run bench does)`);
  checkLocal(options.pgAdminUrl, 'BENCH_PG_ADMIN_URL');
  checkLocal(options.redisUrl, 'the Redis URL');
  const scenarios = options.only ? allScenarios.filter((s) => options.only.includes(s.id)) : allScenarios;
  if (scenarios.length === 0) throw new Error(`no scenario matches BENCH_SCENARIOS=${env.BENCH_SCENARIOS}`);

  const stamp = `${Date.now()}_${process.pid}`;
  const dbName = `cb_bench_${stamp}`;
  const queuePrefix = `cbbench_${stamp}`;
  const tmpDir = join(benchDir, 'tmp', `run-${stamp}`);
  mkdirSync(tmpDir, { recursive: true });
  const meta = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memGb: Math.round(os.totalmem() / 2 ** 30),
    pg: await serverVersion(options.pgAdminUrl),
    redis: (await redisPing(options.redisUrl)) === 'PONG' ? 'up' : '?',
    commit: gitCommit(),
    scenarios,
  };
  // Other work on the machine takes cores from the service, PostgreSQL and the
  // baseline alike; wait a little for it to settle, and record it either way.
  const quietDeadline = performance.now() + options.quietWaitMs;
  meta.background = await backgroundLoad();
  while (meta.background > 0.25 && performance.now() < quietDeadline) {
    log(`machine busy with other work (${meta.background} cores); waiting for it to settle`);
    meta.background = await backgroundLoad(2_000);
  }
  if (meta.background > 0.25) log(`WARNING: ${meta.background} cores busy with other work before the run; figures will be low`);

  const figures = [];
  const notes = [];
  let failure = null;
  let service;
  let databaseCreated = false;
  // Ctrl-C / SIGTERM: end the load; the run then stops like a failed one and cleans up.
  let interrupted = null;
  const onSignal = (signal) => {
    interrupted = signal;
    log(`${signal}: stopping the load, then cleaning up`);
    abortAllLoad();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const databaseUrl = await createDatabase(options.pgAdminUrl, dbName);
    databaseCreated = true;
    log(`database ${dbName}, queue prefix ${queuePrefix}, tmp ${relative(repoDir, tmpDir)}`);
    const adminToken = `bench_admin_${randomBytes(16).toString('hex')}`;
    const port = await freePort();
    const profileDir = join(benchDir, 'tmp', 'profiles');
    if (options.cpuProf) mkdirSync(profileDir, { recursive: true });
    service = startNode({
      name: 'service',
      script: mainJs,
      cwd: repoDir,
      nodeArgs: [
        ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        ...(options.countQueries ? ['-r', join(benchDir, 'tools', 'pg-query-counter.cjs')] : []),
      ],
      env: {
        PATH: env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        REDIS_URL: options.redisUrl,
        QUEUE_PREFIX: queuePrefix,
        ADMIN_TOKEN: adminToken,
        DATA_DIR: join(tmpDir, 'data'),
        PORT: String(port),
        LOG_LEVEL: 'warn',
        ROLE: options.role,
        ...(options.countQueries ? { PG_QUERY_COUNT_FILE: join(tmpDir, 'pg-queries.json') } : {}),
      },
      logFile: join(tmpDir, 'service.log'),
    });
    const t = performance.now();
    await waitHealthy(service, port, '/health', 60_000);
    log(`service pid ${service.pid} healthy on port ${port} after ${Math.round(performance.now() - t)} ms`);
    const project = await createProject(port, adminToken);

    const runsWorkers = options.role !== 'api';
    const ctx = {
      options,
      benchDir,
      tmpDir,
      databaseUrl,
      adminToken,
      project,
      service: { port, pid: service.pid },
      state: { batch: { issued: 0, ingested: 0, itemErrors: 0 } },
      note: (scenario, text) => {
        notes.push({ scenario, text });
        log(`${scenario}: ${text}`);
      },
      /** Pids of the PostgreSQL backends serving the run's database (for cpuWindow). */
      async backendPids() {
        const rows = await query(databaseUrl, `SELECT pid::text FROM pg_stat_activity WHERE datname = current_database()`);
        return new Set(rows.map((r) => r.pid));
      },
      /** Notes a cpuWindow() reading, tracks other work on the machine, returns CPU ms per item. */
      cpuNote(scenario, who, cpu, items, per) {
        meta.busiestRest = Math.max(meta.busiestRest ?? 0, cpu.rest);
        const processMsPerItem = (cpu.measured * cpu.seconds * 1000) / items;
        const postgresMsPerItem = (cpu.postgres * cpu.seconds * 1000) / items;
        ctx.note(
          scenario,
          `${who} CPU in cores over ${cpu.seconds} s: machine ${cpu.machine}, ${who} ${cpu.measured}, postgres (this database's backends) ${cpu.postgres}, load generator ${cpu.loadGenerator}, other work ${cpu.rest}` +
            `; per ${per}: ${who} ${processMsPerItem.toFixed(2)} ms, postgres ${postgresMsPerItem.toFixed(2)} ms`,
        );
        return { processMsPerItem, postgresMsPerItem };
      },
      /** Waits (bounded) until the service's job backlog is done, so it does not eat into the next measurement. */
      async quiesce(maxMs = 15_000) {
        if (!runsWorkers) return;
        const deadline = performance.now() + maxMs;
        let left = 0;
        while (performance.now() < deadline) {
          [{ left }] = await query(databaseUrl, `SELECT count(*)::int AS left FROM outbox WHERE status IN ('pending', 'queued', 'processing')`);
          if (left === 0) return;
          await sleep(250);
        }
        ctx.note('quiesce', `${left} outbox jobs still unfinished after ${maxMs} ms; measuring anyway`);
      },
    };

    for (const s of scenarios) {
      if (interrupted) throw new Error(`interrupted by ${interrupted}`);
      log(`scenario ${s.id}: ${s.title}`);
      if (service.exited()) throw new Error(`service exited: ${JSON.stringify(service.exited())}\n${service.tail()}`);
      const results = await s.run(ctx);
      if (interrupted) throw new Error(`interrupted by ${interrupted}`);
      for (const raw of results) {
        const f = evaluate({ scenario: s.id, ...raw });
        figures.push(f);
        const round = (x) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 100) / 100 : x);
        process.stdout.write(
          JSON.stringify({
            scenario: f.scenario,
            figure: f.figure,
            value: round(f.value),
            unit: f.unit,
            ...(f.baseline !== undefined ? { baseline: round(f.baseline) } : {}),
            ...(f.ratio !== null ? { ratio: round(f.ratio) } : {}),
            ...(f.target ? { target: f.target.text, pass: f.pass } : {}),
          }) + '\n',
        );
      }
    }
  } catch (err) {
    failure = err.message.split('\n')[0];
    log(`FAILED: ${err.stack ?? err}`);
  } finally {
    if (service) {
      const r = await service.stop();
      log(`service stopped with ${r.signal ?? `exit code ${r.code}`} after ${r.ms} ms`);
      if (r.code !== 0 && !failure) notes.push({ scenario: 'shutdown', text: `SIGTERM → ${r.signal ?? `exit code ${r.code}`} after ${r.ms} ms` });
    }
    if (databaseCreated) await dropDatabase(options.pgAdminUrl, dbName).catch((e) => log(`could not drop ${dbName}: ${e.message}`));
    const deleted = await deleteRedisPrefix(options.redisUrl, queuePrefix).catch((e) => log(`Redis cleanup failed: ${e.message}`));
    log(`dropped ${dbName}; deleted ${deleted ?? '?'} Redis keys under ${queuePrefix}:`);
    if (!options.cpuProf && !options.countQueries && !failure) rmSync(tmpDir, { recursive: true, force: true });
    else log(`logs kept in ${relative(repoDir, tmpDir)}${options.cpuProf ? `; profiles in ${relative(repoDir, join(benchDir, 'tmp', 'profiles'))}` : ''}`);
  }

  meta.seconds = Math.round((performance.now() - started) / 1000);
  // A failed or interrupted run does not replace the last complete results.
  const resultsFile = failure ? join(tmpDir, 'RESULTS.md') : options.resultsFile;
  writeFileSync(resultsFile, markdown(meta, figures, notes, failure));
  log(`wrote ${relative(repoDir, resultsFile)} (${meta.seconds} s)`);
  if (failure) process.exit(1);
  if (options.strict && figures.some((f) => f.pass === false)) process.exit(1);
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
