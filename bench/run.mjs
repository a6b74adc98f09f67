#!/usr/bin/env node
// crashbridge benchmark: `npm run bench` (= npm run build && node bench/run.mjs).
//
// Starts the built service (dist/src/main.js) as a child process on a fresh
// PostgreSQL database and Redis, runs the scenarios in bench/scenarios/index.mjs,
// then restarts it in embedded mode (PGlite, in-process jobs) for the scenarios that
// run there too; prints one JSON line per figure on stdout, writes bench/RESULTS.md
// (every figure with its baseline in the same run, the ratio, the target and whether
// it is met), then stops the service with SIGTERM, drops the database and deletes the
// run's Redis keys. All traffic goes to 127.0.0.1.
//
// Environment:
//   BENCH_PG_ADMIN_URL  admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_REDIS_URL     Redis for the service's queues (default $REDIS_URL or redis://127.0.0.1:6379)
//   BENCH_ROLE          the service's ROLE (default all: HTTP and job workers in one process; api: plus a ROLE=worker process)
//   BENCH_SCENARIOS     comma-separated scenario ids to run (default: all), e.g. single,rules,webhooks,webhooks-embedded
//   BENCH_DURATION_MS   measured time per load scenario (default 10000)
//   BENCH_BATCH_UPDATE_FRACTION share of each batch updating earlier groups (default 0.5)
//   BENCH_WARMUP_MS     warm-up before measuring (default 2000)
//   BENCH_CPU_PROF=1    run the service and the bare baselines with --cpu-prof; profiles land in bench/tmp/profiles
//                       (summarise with: node bench/tools/cpuprofile-top.mjs <file>)
//   BENCH_COUNT_QUERIES=1 count the service's SQL statements (bench/tools/pg-query-counter.cjs);
//                       written to the run's tmp folder at exit
//   BENCH_PROFILE=1    run the PostgreSQL scenarios on a throwaway cluster (bench/tmp, another port)
//                       with pg_stat_statements preloaded; the top statements per scenario go to
//                       the run's tmp folder (pg-statements.md) and the notes; RESULTS.md goes there too
//   BENCH_QUIET_WAIT_MS how long to wait for other CPU load on the machine to settle (default 30000)
//   BENCH_STRICT=1      exit 1 when a target is missed
//   BENCH_RESULTS       where to write the markdown (default bench/RESULTS.md; a failed run
//                       writes it to its tmp folder instead)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarios as allScenarios } from './scenarios/index.mjs';
import { abortAllLoad } from './lib/load.mjs';
import { backgroundLoad } from './lib/processes.mjs';
import { resetStatements, sampleWaits, startProfileCluster, topStatements } from './lib/pg-profile.mjs';
import { evaluate, markdown } from './lib/report.mjs';
import { companionStarter } from './lib/companion.mjs';
import { makeContext, MODES, startService, stopService } from './lib/service.mjs';
import { createDatabase, deleteRedisPrefix, dropDatabase, redisPing, serverVersion } from './lib/stores.mjs';

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
  profile: env.BENCH_PROFILE === '1',
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
  // One service per storage mode, one after the other (never both under load at once: they would share the cores;
  // single-embedded starts a PostgreSQL-mode companion and loads the two in turns, lib/companion.mjs).
  const phases = ['postgres', 'embedded']
    .map((mode) => ({ mode, ...MODES[mode], describe: MODES[mode].describe(options), scenarios: scenarios.filter((s) => (s.mode ?? 'postgres') === mode) }))
    .filter((p) => p.scenarios.length > 0);
  const adminToken = `bench_admin_${randomBytes(16).toString('hex')}`;
  const stopCurrent = async () => {
    if (!service) return;
    await stopService(service, { log, notes, quiet: !!failure });
    service = undefined;
  };
  let profileCluster = null;
  try {
    // Profile mode: our own cluster with pg_stat_statements (the shared one is not ours to reconfigure).
    if (options.profile && phases.some((p) => p.mode === 'postgres')) {
      profileCluster = await startProfileCluster({ benchDir, sharedUrl: options.pgAdminUrl, log });
      options.pgAdminUrl = profileCluster.adminUrl;
      meta.pg = `${await serverVersion(options.pgAdminUrl)}, throwaway cluster with pg_stat_statements and the shared server's ${profileCluster.settings.join(' ')} (BENCH_PROFILE=1)`;
    }
    if (options.cpuProf) mkdirSync(join(benchDir, 'tmp', 'profiles'), { recursive: true });
    for (const phase of phases) {
      let databaseUrl;
      if (phase.mode === 'postgres') {
        databaseUrl = await createDatabase(options.pgAdminUrl, dbName);
        databaseCreated = true;
        log(`database ${dbName}, queue prefix ${queuePrefix}, tmp ${relative(repoDir, tmpDir)}`);
      }
      service = await startService({ mode: phase.mode, options, repoDir, benchDir, tmpDir, adminToken, databaseUrl, queuePrefix, log });
      const state = { batch: { issued: 0, ingested: 0, itemErrors: 0 } };
      const ctx = await makeContext({ service, options, benchDir, tmpDir, databaseUrl, adminToken, state, notes, meta, log });
      if (phase.mode === 'embedded') ctx.postgresCompanion = companionStarter({ options, repoDir, benchDir, tmpDir, adminToken, stamp, notes, meta, log });
      for (const s of phase.scenarios) {
        if (interrupted) throw new Error(`interrupted by ${interrupted}`);
        log(`scenario ${s.id}: ${s.title}`);
        if (service.proc.exited()) throw new Error(`service exited: ${JSON.stringify(service.proc.exited())}\n${service.proc.tail()}`);
        const profiling = profileCluster && phase.mode === 'postgres';
        if (profiling) await resetStatements(profileCluster.adminUrl);
        const waits = profiling ? sampleWaits(profileCluster.adminUrl, dbName) : null;
        ctx.profileMark = (label) => waits?.mark(label);
        const results = await s.run(ctx).finally(() => waits?.stop());
        if (interrupted) throw new Error(`interrupted by ${interrupted}`);
        if (profiling) {
          const top = await topStatements(profileCluster.adminUrl, dbName, s.id);
          const waited = await waits.stop();
          appendFileSync(join(tmpDir, 'pg-statements.md'), [...top.lines, ...waited.map((w) => `- ${w}`), ''].join('\n') + '\n');
          ctx.note(s.id, top.summary);
          for (const w of waited) ctx.note(s.id, w);
        }
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
              ...(f.range ? { range: f.range.map(round) } : {}),
              ...(f.baseline !== undefined ? { baseline: round(f.baseline) } : {}),
              ...(f.baselineRange ? { baselineRange: f.baselineRange.map(round) } : {}),
              ...(f.ratio !== null ? { ratio: round(f.ratio) } : {}),
              ...(f.target ? { target: f.target.text, pass: f.pass } : {}),
            }) + '\n',
          );
        }
      }
      await stopCurrent();
    }
  } catch (err) {
    failure = err.message.split('\n')[0];
    log(`FAILED: ${err.stack ?? err}`);
  } finally {
    await stopCurrent();
    if (databaseCreated) await dropDatabase(options.pgAdminUrl, dbName).catch((e) => log(`could not drop ${dbName}: ${e.message}`));
    if (profileCluster) await profileCluster.stop().catch((e) => log(`could not stop the profile cluster: ${e.message}`));
    const deleted = await deleteRedisPrefix(options.redisUrl, queuePrefix).catch((e) => log(`Redis cleanup failed: ${e.message}`));
    log(`dropped ${dbName}; deleted ${deleted ?? '?'} Redis keys under ${queuePrefix}:`);
    if (!options.cpuProf && !options.countQueries && !options.profile && !failure) rmSync(tmpDir, { recursive: true, force: true });
    else log(`logs kept in ${relative(repoDir, tmpDir)}${options.cpuProf ? `; profiles in ${relative(repoDir, join(benchDir, 'tmp', 'profiles'))}` : ''}${profileCluster ? `; statements in ${relative(repoDir, join(tmpDir, 'pg-statements.md'))}` : ''}`);
  }

  meta.seconds = Math.round((performance.now() - started) / 1000);
  // A failed or interrupted run does not replace the last complete results, nor does a profile run (another PostgreSQL).
  const resultsFile = failure || options.profile ? join(tmpDir, 'RESULTS.md') : options.resultsFile;
  writeFileSync(resultsFile, markdown({ meta, options, phases, figures, notes, failure }));
  log(`wrote ${relative(repoDir, resultsFile)} (${meta.seconds} s)`);
  if (failure) process.exit(1);
  if (options.strict && figures.some((f) => f.pass === false)) process.exit(1);
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
