// BENCH_PROFILE=1: a throwaway PostgreSQL cluster with pg_stat_statements preloaded, so the
// bench can say which statements a scenario ran, how often and for how long. The shared
// PostgreSQL on 5432 does not preload it, and it is not ours to restart: the cluster is
// initdb'ed under bench/tmp, started on another port as the postgres user (runuser, when
// the bench runs as root), and stopped and deleted at the end, on Ctrl-C, or at exit.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './processes.mjs';

const PG_BIN = process.env.BENCH_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const TOP = 12;

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const asPostgres = (bin, ...args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), args]);

function run([cmd, args], timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function postgresIds() {
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return [id('-u'), id('-g')];
}

/**
 * The shared server's settings that change what a statement costs, copied to the cluster so that its
 * figures are the shared server's: a CI machine may run it without autovacuum, or without fsync.
 */
const MIRRORED = ['autovacuum', 'fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'work_mem', 'max_wal_size'];

async function mirroredSettings(sharedUrl) {
  const rows = (await withClient(sharedUrl, (c) => c.query('SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)', [MIRRORED]))).rows;
  // Values in their unit (8kB pages, kB, MB), as postgres -c takes them.
  return rows.map((r) => `-c ${r.name}=${r.setting}${r.unit === '8kB' ? '' : r.unit ?? ''}`);
}

/** Starts the cluster with the shared server's costly settings (sharedUrl); resolves { adminUrl, settings, stop() }. */
export async function startProfileCluster({ benchDir, sharedUrl, log }) {
  const settings = await mirroredSettings(sharedUrl);
  const dir = join(benchDir, 'tmp', `pg-profile-${process.pid}`);
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  if (asRoot) chownSync(dir, ...postgresIds());
  let port;
  do port = await freePort();
  while (port === 5432);
  const exitCleanup = () => {
    spawnSync(...asPostgres('pg_ctl', '-D', data, '-m', 'immediate', 'stop'), { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', exitCleanup);
  try {
    const init = await run(asPostgres('initdb', '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'));
    if (init.code !== 0) throw new Error(`initdb failed:\n${init.output}`);
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 ${settings.join(' ')} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.max=2000 -c pg_stat_statements.track=top -c pg_stat_statements.track_planning=on`;
    const started = await run(asPostgres('pg_ctl', '-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', opts, 'start'));
    if (started.code !== 0) throw new Error(`pg_ctl start failed:\n${started.output}`);
  } catch (err) {
    exitCleanup();
    process.removeListener('exit', exitCleanup);
    throw err;
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await withClient(adminUrl, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  log(`profile: throwaway PostgreSQL with pg_stat_statements on 127.0.0.1:${port} (${dir}), as the shared server: ${settings.join(' ')}`);
  return {
    adminUrl,
    settings,
    async stop() {
      const r = await run(asPostgres('pg_ctl', '-D', data, '-m', 'fast', '-w', 'stop'));
      if (r.code !== 0) log(`profile: pg_ctl stop: ${r.output.trim()}`);
      rmSync(dir, { recursive: true, force: true });
      process.removeListener('exit', exitCleanup);
      log('profile: throwaway PostgreSQL stopped and deleted');
    },
  };
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Forgets the statistics (before a scenario). */
export function resetStatements(adminUrl) {
  return withClient(adminUrl, (c) => c.query('SELECT pg_stat_statements_reset()'));
}

/**
 * The statements run in `database` since the last reset: totals and the top ones by total
 * execution time, as markdown lines (for the run's pg-statements.md) and a one-line summary.
 */
export async function topStatements(adminUrl, database, scenario) {
  return withClient(adminUrl, async (c) => {
    const where = `FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`;
    const [t] = (await c.query(`SELECT COALESCE(sum(calls), 0)::bigint AS calls, COALESCE(sum(total_exec_time), 0) AS ms, COALESCE(sum(rows), 0)::bigint AS rows,
      COALESCE(sum(wal_bytes), 0)::bigint AS wal, COALESCE(sum(shared_blks_hit + shared_blks_read), 0)::bigint AS blks ${where}`, [database])).rows;
    const top = (await c.query(`SELECT calls::bigint, total_exec_time AS total, mean_exec_time AS mean, rows::bigint, wal_bytes::bigint AS wal, plans::bigint, total_plan_time AS plan, wal_fpi::bigint AS fpi, wal_records::bigint AS recs,
      regexp_replace(query, '\\s+', ' ', 'g') AS query ${where} ORDER BY total_exec_time DESC LIMIT ${TOP}`, [database])).rows;
    const f = (x, d = 1) => Number(x).toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
    const lines = [
      `### ${scenario}`,
      '',
      `${f(t.calls, 0)} statements, ${f(t.ms)} ms executing in total, ${f(t.rows, 0)} rows, ${f(Number(t.wal) / 2 ** 20)} MiB WAL; top ${TOP} by total time:`,
      '',
      '| calls | total ms | mean ms | plans | planning ms | rows | WAL KiB | WAL records | full pages | statement |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...top.map((s) => `| ${f(s.calls, 0)} | ${f(s.total)} | ${f(s.mean, 3)} | ${f(s.plans, 0)} | ${f(s.plan)} | ${f(s.rows, 0)} | ${f(Number(s.wal) / 1024, 0)} | ${f(s.recs, 0)} | ${f(s.fpi, 0)} | \`${s.query.slice(0, 180).replace(/\|/g, '\\|').replace(/`/g, "'")}${s.query.length > 180 ? '…' : ''}\` |`),
      '',
    ];
    const summary = `pg_stat_statements: ${f(t.calls, 0)} statements, ${f(t.ms)} ms executing; top: ` +
      top.slice(0, 4).map((s) => `${f(s.calls, 0)} × ${f(s.mean, 3)} ms \`${s.query.slice(0, 60)}…\``).join('; ');
    return { lines, summary, calls: Number(t.calls), ms: Number(t.ms) };
  });
}

/**
 * Samples what the run's busy backends wait for (pg_stat_activity, every `everyMs`): a
 * statement's execution time is CPU, or a wait (a row lock held by another transaction, the
 * WAL flush of a commit, ...). `mark(label)` starts counting under another label (a scenario
 * marks its rounds: ctx.profileMark); `stop()` resolves to one summary line per label.
 */
export function sampleWaits(adminUrl, database, everyMs = 20) {
  const client = new pg.Client({ connectionString: adminUrl });
  const byLabel = new Map(); // label → { samples, counts: Map(wait → n) }
  let label = 'scenario';
  let running = true;
  const done = (async () => {
    await client.connect();
    try {
      while (running) {
        const { rows } = await client.query(
          `SELECT COALESCE(wait_event_type || ':' || wait_event, 'CPU (no wait event)') AS w, count(*)::int AS n
             FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1`,
          [database],
        );
        let l = byLabel.get(label);
        if (!l) byLabel.set(label, (l = { samples: 0, counts: new Map() }));
        l.samples++;
        for (const r of rows) l.counts.set(r.w, (l.counts.get(r.w) ?? 0) + r.n);
        await new Promise((r) => setTimeout(r, everyMs));
      }
    } finally {
      await client.end();
    }
  })().catch(() => undefined); // a lost sampler costs the summary, never the run
  return {
    mark(next) {
      label = next;
    },
    async stop() {
      running = false;
      await done;
      return [...byLabel].map(([name, { samples, counts }]) => {
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        const parts = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([w, n]) => `${w} ${((100 * n) / total).toFixed(0)}%`);
        return `${name}: busy backends sampled every ${everyMs} ms (${samples} samples, ${(total / Math.max(1, samples)).toFixed(2)} active on average): ${parts.join(', ') || 'none'}`;
      });
    },
  };
}
