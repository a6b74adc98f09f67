#!/usr/bin/env node
// npm test: the type check (jest strips types without checking them) alongside the unit specs, then the e2e suite
// twice — against PostgreSQL + Redis (Bull) and embedded (PGlite + in-process jobs) — then the browser specs. Each run
// gets its own databases (prefix TEST_RUN_ID), and its apps start from copies of a database the migrations built once
// in the run (test/support/databases.ts, embedded-template.ts); all are removed at the end. Prints "N passed, N failed"
// last and exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const runId = `cbt_${Date.now().toString(36)}_${process.pid}`;
const outDir = mkdtempSync(join(tmpdir(), 'crashbridge-jest-'));
const adminUrl = process.env.TEST_PG_ADMIN_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const extraArgs = process.argv.slice(2);

const runs = [
  { name: 'unit', args: ['--selectProjects', 'unit'], env: {} },
  { name: 'e2e:postgres+redis', args: ['--selectProjects', 'e2e'], env: { TEST_MODE: 'postgres' } },
  // Embedded is the slowest run (PGlite): fewer sync convergence seeds there keep CI within its time (the same
  // property runs 100 seeds on PostgreSQL above, and 1,000 per mode in npm run test:convergence).
  { name: 'e2e:embedded', args: ['--selectProjects', 'e2e'], env: { TEST_MODE: 'embedded', CONVERGENCE_CASES: '50', CONVERGENCE_STRICT_CASES: '20' } },
  // The settings UI in Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
  { name: 'browser', args: ['--selectProjects', 'browser'], env: { TEST_MODE: 'postgres' } },
];

async function dropRunDatabases() {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${runId}\\_%`]);
    for (const r of rows) await client.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  } catch (err) {
    console.error(`could not drop test databases: ${err.message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The Bull keys of this run's test apps (QUEUE_PREFIX cbtest-<run id>-..., see test/support/test-app.ts). */
async function deleteRunRedisKeys() {
  const { default: Redis } = await import('ioredis'); // Bull's Redis client
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `cbtest-${runId}-*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch (err) {
    console.error(`could not delete test Redis keys: ${err.message}`);
  } finally {
    redis.disconnect();
  }
}

/** The PGlite template directories of this run (crashbridge-pglite-template-<run id>, see test/support/embedded-template.ts). */
function removeRunTemplates() {
  const template = `crashbridge-pglite-template-${runId}`;
  for (const name of readdirSync(tmpdir())) {
    if (name === template || name.startsWith(`${template}.building-`)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** Like spawnSync, without blocking this process (the type check runs meanwhile). */
function runToEnd(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    child.on('error', () => resolve({ status: 1 }));
    child.on('close', (status) => resolve({ status }));
  });
}

/** Runs in the background with its output in a file, printed once it is done. */
function startInBackground(args, outputFile) {
  const startedAt = Date.now();
  const out = openSync(outputFile, 'w');
  const child = spawn(process.execPath, args, { stdio: ['ignore', out, out] });
  closeSync(out);
  return new Promise((resolve) => {
    const seconds = () => (Date.now() - startedAt) / 1000;
    child.on('error', (err) => resolve({ status: 1, output: err.message, seconds: seconds() }));
    child.on('close', (status) => resolve({ status, output: readFileSync(outputFile, 'utf8'), seconds: seconds() }));
  });
}

let passed = 0;
let failed = 0;
let broken = false;

// The type check is one single-threaded process: it runs during the unit specs, and reports after them.
const typecheck = startInBackground(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], join(outDir, 'typecheck.txt'));

/** Waits for the type check started before the unit specs, and prints its result. */
async function reportTypecheck() {
  const tsc = await typecheck;
  console.log('\n=== typecheck (src, test) ===');
  process.stdout.write(tsc.output);
  if (tsc.status !== 0) failed += 1;
  console.log(`typecheck: ${tsc.status === 0 ? 'passed' : 'failed'}, ${tsc.seconds.toFixed(0)} s`);
}

for (const [index, run] of runs.entries()) {
  if (index === 1) await reportTypecheck();
  const outputFile = join(outDir, `${run.name.replace(/[^a-z0-9]+/gi, '_')}.json`);
  const startedAt = Date.now();
  console.log(`\n=== ${run.name} ===`);
  const res = await runToEnd(
    process.execPath,
    ['node_modules/jest/bin/jest.js', ...run.args, '--maxWorkers=2', '--forceExit', '--json', `--outputFile=${outputFile}`, ...extraArgs],
    { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim(), ...run.env, TEST_RUN_ID: runId, TEST_PG_ADMIN_URL: adminUrl, TEST_REDIS_URL: redisUrl } },
  );
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    // A suite that fails to load counts as a failure even though it ran no test.
    if (report.numRuntimeErrorTestSuites > 0 || (res.status !== 0 && report.numFailedTests === 0)) broken = true;
    console.log(`${run.name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
    // The slowest spec files, to keep the whole run within CI's time budget.
    const slowest = report.testResults
      .map((t) => ({ file: t.name.slice(t.name.indexOf('/test/') + 1), s: (t.endTime - t.startTime) / 1000 }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 8);
    console.log(`${run.name}: ${((Date.now() - startedAt) / 1000).toFixed(0)} s; slowest: ${slowest.map((t) => `${t.file} ${t.s.toFixed(0)} s`).join(', ')}`);
  } catch {
    broken = true;
    console.log(`${run.name}: no report (jest exited with ${res.status})`);
  }
}
await dropRunDatabases();
removeRunTemplates();
await deleteRunRedisKeys();
if (broken && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
