// soak: months in production at an accelerated clock. Over SOAK_DAYS simulated days a project gets 2,000,000
// webhook delivery records and 500,000 reports, and the retention job prunes after each day. Targets: the pruned
// tables stay within 1.2× the disk of one retention window's worth of rows, and ingestion p99 on the soaked
// database stays within 1.3× the figure measured before the soak.
//
// The clock: PostgreSQL's now() cannot be moved, so a simulated day is a round of
//   1. the rows written RETENTION_DAYS (30) simulated days ago for activity and deliveries, JOB_RETENTION_DAYS (7)
//      for Idempotency-Keys, aged by SQL past their window (an UPDATE of that day's rows only);
//   2. a run of the pruning job (its outbox row queued as the scheduler would), waited for;
//   3. the day's rows, written at now(): delivery records by SQL (one statement; 2,000,000 real deliveries would
//      take half an hour of HTTP), reports through the API in batches of 100 with an Idempotency-Key each.
// A day is the simulation's step: the tables hold up to one day more than their window before a run, where the
// hourly runs of production hold an hour more; that weighs most on the 7-day window of Idempotency-Keys.
// The aging UPDATE leaves a dead version of each row it ages on top of what production would, so the disk figure
// is if anything pessimistic. The window's worth is the tables' size on the day before their first rows expire.
// Both p99 windows update the same 5,000 existing groups, start right after a CHECKPOINT, and note what the server
// did meanwhile (see p99 below).
import { runLoad } from '../lib/load.mjs';
import { ATTRIBUTES, singleGroupBody } from '../lib/groups.mjs';
import { cpuWindow } from '../lib/processes.mjs';
import { query } from '../lib/stores.mjs';
import { call } from './tickets.mjs';

const DAYS = 40;
/** BENCH_SOAK_SCALE (default 1): a fraction of the rows, for a quick look at the scenario itself. */
const SCALE = Number(process.env.BENCH_SOAK_SCALE ?? 1);
const DELIVERIES = Math.round(2_000_000 * SCALE);
const REPORTS = Math.round(500_000 * SCALE);
const REPORTS_PER_REQUEST = 100;
/** Half of a batch's reports are new groups (each gets a group.created activity entry), half update earlier ones. */
const NEW_SHARE = 0.5;
const RETENTION_DAYS = 30;
const JOB_RETENTION_DAYS = 7;
const CONCURRENCY = 32;
const POOL = 5_000;
const TABLES = [
  { table: 'webhook_deliveries', window: RETENTION_DAYS },
  { table: 'activity', window: RETENTION_DAYS },
  { table: 'idempotency_keys', window: JOB_RETENTION_DAYS },
];

const dayTag = (d) => `soak-d${String(d).padStart(3, '0')}-`;
/** Keys of day d sort between these two (the btree of the primary key finds them). */
const dayRange = (d) => [dayTag(d), dayTag(d).slice(0, -1) + '.'];

/** What the server did besides serving the window: checkpoint writes, WAL and its full-page images, autovacuum. */
async function serverWork(ctx) {
  const [r] = await query(
    ctx.databaseUrl,
    `SELECT (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)::bigint AS checkpoints,
            (SELECT buffers_checkpoint FROM pg_stat_bgwriter)::bigint AS "checkpointBuffers",
            (SELECT wal_fpi FROM pg_stat_wal)::bigint AS fpi, (SELECT wal_bytes FROM pg_stat_wal)::bigint AS "walBytes",
            (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database())::int AS autovacuum`,
  );
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]));
}

function noteServerWork(ctx, name, from, to, requests) {
  ctx.note(
    'soak',
    `${name}: server work over the window: ${to.checkpoints - from.checkpoints} checkpoints started, ${to.checkpointBuffers - from.checkpointBuffers} buffers written by the checkpointer, ` +
      `${mb(to.walBytes - from.walBytes)} MB of WAL (${((to.walBytes - from.walBytes) / requests).toFixed(0)} B per request), ${to.fpi - from.fpi} full-page images, ` +
      `autovacuum workers on this database at start/end ${from.autovacuum}/${to.autovacuum}`,
  );
}

/**
 * The single-POST load; adds `cpuMs`: service and PostgreSQL CPU per request, which other work on the machine skews
 * less. Each window starts right after a checkpoint: the soak writes 40 days of WAL in two minutes, so without one the
 * soaked window would pay for a checkpoint the accelerated clock set off (its writes and each page's first full
 * image in the WAL), which the same days in production spread over weeks. The window's own server work is noted.
 */
async function p99(ctx, project, name) {
  await query(ctx.databaseUrl, 'CHECKPOINT');
  const work = await serverWork(ctx);
  const cpu = cpuWindow(ctx.service.pid);
  const r = await runLoad({
    port: ctx.service.port,
    concurrency: CONCURRENCY,
    warmupMs: ctx.options.warmupMs,
    durationMs: ctx.options.durationMs,
    next: () => ({ path: `/api/v1/projects/${project.key}/groups`, headers: { authorization: `Bearer ${project.ingestToken}` }, body: singleGroupBody(POOL, 'soak-load') }),
    check: (res) => (res.status === 200 || res.status === 201 ? 1 : -1),
  });
  if (r.sampleErrors.length) ctx.note('soak', `load errors, e.g. ${r.sampleErrors.join(' | ')}`);
  const c = ctx.cpuNote('soak', `service (${name})`, cpu(await ctx.backendPids()), r.requests + r.warmupRequests, 'request');
  noteServerWork(ctx, name, work, await serverWork(ctx), r.requests + r.warmupRequests);
  return { ...r, cpuMs: c.processMsPerItem + c.postgresMsPerItem };
}

/**
 * The windows' groups exist before the first window, as they do before the second: each window then updates
 * existing rows after its checkpoint (a page's first change after a checkpoint writes the whole page to the WAL),
 * where a first window that created them would write new pages, which need no such image.
 */
async function seedPool(ctx, project) {
  const headers = { authorization: `Bearer ${project.ingestToken}` };
  for (let from = 0; from < POOL; from += REPORTS_PER_REQUEST) {
    const groups = Array.from({ length: Math.min(REPORTS_PER_REQUEST, POOL - from) }, (_, i) => ({ fingerprint: `soak-load-${from + i}`, attributes: ATTRIBUTES }));
    await call(ctx.service.port, 'POST', `/api/v1/projects/${project.key}/groups`, { headers, body: { groups } });
  }
}

/** Reports of day d through the API: batches of REPORTS_PER_REQUEST, 8 requests at a time, each with its Idempotency-Key. */
async function report(ctx, project, d, perDay) {
  const requests = Math.round(perDay / REPORTS_PER_REQUEST);
  const fresh = Math.round(REPORTS_PER_REQUEST * NEW_SHARE);
  for (let r = 0; r < requests; r += 8) {
    await Promise.all(Array.from({ length: Math.min(8, requests - r) }, (_, i) => {
      const n = r + i;
      const groups = Array.from({ length: REPORTS_PER_REQUEST }, (_, j) =>
        ({ fingerprint: j < fresh ? `${dayTag(d)}${n}-${j}` : `soak-load-${(n * REPORTS_PER_REQUEST + j) % POOL}`, count: 1 }));
      const headers = { authorization: `Bearer ${project.ingestToken}`, 'idempotency-key': `${dayTag(d)}${n}` };
      return call(ctx.service.port, 'POST', `/api/v1/projects/${project.key}/groups`, { headers, body: { groups } });
    }));
  }
}

/** Ages the rows of simulated day d in `table` past any window. */
async function expire(ctx, projectId, table, d, activityIds) {
  const [from, to] = dayRange(d);
  const sql = {
    webhook_deliveries: `UPDATE webhook_deliveries SET received_at = received_at - interval '400 days' WHERE project_id = $1 AND dedupe_key >= $2 AND dedupe_key < $3`,
    idempotency_keys: `UPDATE idempotency_keys SET created_at = created_at - interval '400 days' WHERE project_id = $1 AND key >= $2 AND key < $3`,
    activity: `UPDATE activity SET at = at - interval '400 days' WHERE project_id = $1 AND id > $2::bigint AND id <= $3::bigint`,
  }[table];
  const params = table === 'activity' ? [projectId, activityIds[d][0], activityIds[d][1]] : [projectId, from, to];
  await query(ctx.databaseUrl, sql, params);
}

/** Queues a pruning run as RetentionScheduler does, and waits until it is done. */
async function prune(ctx) {
  await query(ctx.databaseUrl, `INSERT INTO outbox (kind, payload, dedupe_key) VALUES ('retention.prune', '{}', 'retention.prune') ON CONFLICT DO NOTHING`);
  const deadline = performance.now() + 300_000;
  for (;;) {
    const [{ n }] = await query(ctx.databaseUrl, `SELECT count(*)::int AS n FROM outbox WHERE kind = 'retention.prune' AND status IN ('pending', 'queued', 'processing')`);
    if (n === 0) return;
    if (performance.now() > deadline) throw new Error('a pruning run did not finish within 5 minutes');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function sizes(ctx, projectId) {
  const out = {};
  for (const { table } of TABLES) {
    const [r] = await query(ctx.databaseUrl, `SELECT pg_total_relation_size($1::regclass)::bigint AS bytes, (SELECT count(*)::int FROM ${table} WHERE project_id = $2) AS rows`, [table, projectId]);
    out[table] = { bytes: Number(r.bytes), rows: r.rows };
  }
  return out;
}

const mb = (b) => Math.round(b / 1e5) / 10;

export default {
  id: 'soak',
  title: `Soak: ${DAYS} simulated days, ${DELIVERIES.toLocaleString('en')} webhook delivery records and ${REPORTS.toLocaleString('en')} reports, the retention job after each day (RETENTION_DAYS ${RETENTION_DAYS}, JOB_RETENTION_DAYS ${JOB_RETENTION_DAYS}, rows aged by SQL)`,
  async run(ctx) {
    const admin = { authorization: `Bearer ${ctx.adminToken}` };
    const project = await call(ctx.service.port, 'POST', '/api/v1/projects', { headers: admin, body: { key: 'bench-soak', name: 'bench-soak' }, expect: [201] });
    const [{ id: projectId }] = await query(ctx.databaseUrl, `SELECT id::text AS id FROM projects WHERE key = 'bench-soak'`);
    await seedPool(ctx, project);
    await ctx.quiesce();
    const fresh = await p99(ctx, project, 'before');
    ctx.note('soak', `before: ${fresh.requests} single POSTs in ${fresh.seconds.toFixed(1)} s, p99 ${fresh.p99.toFixed(1)} ms`);

    const deliveriesPerDay = Math.round(DELIVERIES / DAYS);
    const reportsPerDay = Math.round(REPORTS / DAYS);
    const activityIds = [];
    const windowSize = {};
    const started = performance.now();
    for (let d = 0; d < DAYS; d++) {
      // The rows that leave the window today go first, as they would have in the hourly runs of the day.
      for (const { table, window } of TABLES) if (d >= window) await expire(ctx, projectId, table, d - window, activityIds);
      await prune(ctx);
      await query(
        ctx.databaseUrl,
        `INSERT INTO webhook_deliveries (project_id, dedupe_key, body_sha256)
         SELECT $1, $2 || n, sha256(convert_to($2 || n, 'UTF8')) FROM generate_series(1, $3::int) n`,
        [projectId, dayTag(d), deliveriesPerDay],
      );
      const [{ before }] = await query(ctx.databaseUrl, `SELECT COALESCE(max(id), 0)::text AS before FROM activity`);
      await report(ctx, project, d, reportsPerDay);
      const [{ after }] = await query(ctx.databaseUrl, `SELECT COALESCE(max(id), 0)::text AS after FROM activity`);
      activityIds[d] = [before, after];
      // The day before the first rows of a table expire, it holds exactly one window's worth.
      for (const { table, window } of TABLES) if (d === window - 1) windowSize[table] = (await sizes(ctx, projectId))[table];
      if (d % 10 === 9) ctx.note('soak', `day ${d + 1}: ${Math.round((performance.now() - started) / 1000)} s so far`);
    }
    const end = await sizes(ctx, projectId);
    await ctx.quiesce();
    const soaked = await p99(ctx, project, 'soaked');
    ctx.note('soak', `after: ${soaked.requests} single POSTs in ${soaked.seconds.toFixed(1)} s, p99 ${soaked.p99.toFixed(1)} ms`);
    for (const { table } of TABLES) {
      ctx.note('soak', `${table}: one window ${windowSize[table].rows} rows ${mb(windowSize[table].bytes)} MB; after ${DAYS} days ${end[table].rows} rows ${mb(end[table].bytes)} MB`);
    }
    const [{ pruned }] = await query(ctx.databaseUrl, `SELECT count(*)::int AS pruned FROM outbox WHERE kind = 'retention.prune' AND status = 'done'`);
    ctx.note('soak', `${pruned} pruning runs done`);

    return [
      ...TABLES.map(({ table, window }) => ({
        figure: `soak_${table}_bytes`,
        label: `soak: ${table} on disk after ${DAYS} days, against ${window} days' worth`,
        unit: 'MB',
        value: end[table].bytes / 1e6,
        baseline: windowSize[table].bytes / 1e6,
        target: { on: 'ratio', op: '<=', value: 1.2, text: '≤ 1.2× one window' },
      })),
      { figure: 'soak_p99_ms', label: 'soak: single POST p99 on the soaked database, against before the soak', unit: 'ms', value: soaked.p99, baseline: fresh.p99,
        target: { on: 'ratio', op: '<=', value: 1.3, text: '≤ 1.3× before' } },
      { figure: 'soak_cpu_ms_per_req', label: 'soak: service + PostgreSQL CPU per single POST on the soaked database, against before', unit: 'ms', value: soaked.cpuMs, baseline: fresh.cpuMs },
      { figure: 'soak_errors', label: 'soak: failed requests', unit: '', value: fresh.errors + soaked.errors, ratio: null, target: { on: 'value', op: '<=', value: 0, text: '0 (sanity)' } },
    ];
  },
};
