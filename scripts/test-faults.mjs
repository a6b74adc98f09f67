#!/usr/bin/env node
// npm run test:faults: the fault suite (test/faults). Builds the service when dist/ is
// missing or older than the sources, runs the specs one at a time (each starts its own
// PostgreSQL, Redis, Jira simulator and the built service, then breaks one of them),
// prints every "fault: <name> lost=N duplicated=N recovered_in=<s>" line, then
// "N passed, N failed", and exits non-zero on any failure.
//
// Needs PostgreSQL's server binaries (/usr/lib/postgresql/<15 or newest>/bin, or FAULTS_PG_BIN),
// redis-server and redis-cli, and root (PostgreSQL runs as the postgres user via runuser).
// Never touches the servers on 5432/6379. Extra arguments go to jest (e.g. a spec name).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const distMain = join(root, 'dist', 'src', 'main.js');
// PostgreSQL 15's server binaries (as in docker-compose.yml), else the newest installed.
const pgVersions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) : [];
const pgBin = process.env.FAULTS_PG_BIN
  ?? `/usr/lib/postgresql/${pgVersions.includes('15') ? '15' : (pgVersions.sort((a, b) => Number(a) - Number(b)).pop() ?? '15')}/bin`;
const work = mkdtempSync(join(tmpdir(), 'crashbridge-faults-run-'));

function finish(passed, failed, lines = []) {
  if (lines.length) console.log(`\n${lines.join('\n')}`);
  console.log(`\n${passed} passed, ${failed} failed`);
  rmSync(work, { recursive: true, force: true });
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    try {
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    } catch {
      /* removed meanwhile (others edit this tree) */
    }
  }
  return t;
}

const problems = [];
if (!existsSync(join(pgBin, 'initdb'))) problems.push(`PostgreSQL server binaries in ${pgBin} (apt-get install postgresql, or set FAULTS_PG_BIN)`);
if (spawnSync('sh', ['-c', 'command -v redis-server && command -v redis-cli'], { stdio: 'ignore' }).status !== 0) problems.push('redis-server and redis-cli (apt-get install redis-server)');
if (process.getuid?.() !== 0) problems.push('root: PostgreSQL is run as the postgres user through runuser');
if (problems.length) {
  for (const p of problems) console.error(`test:faults needs ${p}`);
  finish(0, 1);
}

// Build when needed, then run a private copy: others working in this tree rebuild
// dist/ (nest build empties it first), which must not pull the service away mid-run.
const sourcesChanged = () => ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json']
  .some((p) => (statSync(join(root, p)).isDirectory() ? newest(join(root, p)) : statSync(join(root, p)).mtimeMs) > statSync(distMain).mtimeMs);
let copied = false;
for (let attempt = 0; attempt < 3 && !copied; attempt++) {
  if (!existsSync(distMain) || sourcesChanged()) {
    console.log('building the service (nest build)...');
    const b = spawnSync(process.execPath, [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) {
      console.error('nest build failed');
      finish(0, 1);
    }
  }
  try {
    // A copy taken while someone else's build writes dist/ would be partial: the newest
    // mtime must be the same before and after.
    const before = newest(join(root, 'dist'));
    cpSync(join(root, 'dist'), join(work, 'dist'), { recursive: true });
    copied = existsSync(join(work, 'dist', 'src', 'main.js')) && newest(join(root, 'dist')) === before;
  } catch {
    /* dist changed under us */
  }
  if (!copied) rmSync(join(work, 'dist'), { recursive: true, force: true });
}
if (!copied) {
  console.error('could not take a copy of dist/');
  finish(0, 1);
}

const reportFile = join(work, 'faults.txt');
const jsonFile = join(work, 'jest.json');
const res = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '-c', join(root, 'test', 'faults', 'jest.config.js'), '--runInBand', '--forceExit', '--json', `--outputFile=${jsonFile}`, ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FAULTS_REPORT: reportFile, FAULTS_DIST_MAIN: join(work, 'dist', 'src', 'main.js'), FAULTS_NODE_PATH: join(root, 'node_modules'), FAULTS_PG_BIN: pgBin },
  },
);

const lines = existsSync(reportFile) ? readFileSync(reportFile, 'utf8').trim().split('\n').filter(Boolean) : [];
// A whole run must measure every fault; a spec that died before its line is named here.
const FAULTS = ['kill-worker', 'redis-outage', 'redis-loses-jobs', 'postgres-outage', 'jira-storm', 'sigterm-under-load'];
const unmeasured = process.argv.length > 2 ? [] : FAULTS.filter((f) => !lines.some((l) => l.startsWith(`fault: ${f} `)));
lines.push(...unmeasured.map((f) => `fault: ${f} not measured`));
try {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  let failed = report.numFailedTests;
  // A spec that fails to load runs no test but is a failure all the same.
  if (failed === 0 && (report.numRuntimeErrorTestSuites > 0 || res.status !== 0 || unmeasured.length > 0)) failed = 1;
  finish(report.numPassedTests, failed, lines);
} catch {
  console.error(`no jest report (jest exited with ${res.status})`);
  finish(0, 1, lines);
}
