// single: one group per request at 32 clients, against the service and, under the same
// load in the same run, against the bare node:http + pg baseline (bench/baseline/server.mjs:
// the whole merge in one upsert, no transaction block). Rounds alternate, service then
// baseline, ROUNDS times (BENCH_SINGLE_ROUNDS, default 3), so a drift of the machine's load
// hits both sides; the figures are medians of the rounds, with their ranges.
//
// single-embedded: the same load against the service in embedded mode, in rounds that alternate
// with a PostgreSQL-mode service started beside it (bench/lib/companion.mjs), embedded then
// PostgreSQL, so that both see the machine of the same minutes; the ratio is the median of the
// rounds' ratios.
import { median, range, runLoad } from '../lib/load.mjs';
import { singleGroupBody } from '../lib/groups.mjs';
import { withBaseline } from '../lib/baselines.mjs';
import { cpuWindow } from '../lib/processes.mjs';
import { query } from '../lib/stores.mjs';

const CONCURRENCY = 32;
const POOL = 5_000;
const BASELINE_TABLE = 'bench_baseline_groups';
const ROUNDS = Math.max(1, Number(process.env.BENCH_SINGLE_ROUNDS ?? 3));
const roundsText = ROUNDS === 1 ? 'one round' : `${ROUNDS} rounds`;

/** Where a context's service takes its project's reports, and the project's ingest token. */
const ingestPath = (ctx) => `/api/v1/projects/${ctx.project.key}/groups`;
const ingestAuth = (ctx) => ({ authorization: `Bearer ${ctx.project.ingestToken}` });

function load(ctx, port, path, headers) {
  return runLoad({
    port,
    concurrency: CONCURRENCY,
    warmupMs: ctx.options.warmupMs,
    durationMs: ctx.options.durationMs,
    next: () => ({ path, headers, body: singleGroupBody(POOL) }),
    check: (res) => (res.status === 200 || res.status === 201 ? 1 : -1),
  });
}

/** One measured round against `pid` listening on `port`: the load result and its CPU per request. */
async function round(ctx, scenario, who, pid, port, path, headers) {
  ctx.profileMark?.(who); // BENCH_PROFILE=1: PostgreSQL's waits by round
  const cpu = cpuWindow(pid);
  const r = await load(ctx, port, path, headers);
  ctx.profileMark?.('between rounds');
  const used = ctx.cpuNote(scenario, who, cpu(await ctx.backendPids()), r.requests + r.warmupRequests, 'request');
  ctx.note(scenario, `${who}: ${r.requests} requests in ${r.seconds.toFixed(1)} s after ${r.warmupRequests} warm-up requests (${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms)`);
  if (r.sampleErrors.length) ctx.note(scenario, `${who} errors, e.g. ${r.sampleErrors.join(' | ')}`);
  return { ...r, cpu: used };
}

/** Medians (and ranges) of a list of rounds. */
function summary(rounds) {
  const pick = (f) => rounds.map(f);
  return {
    reqPerSec: median(pick((r) => r.reqPerSec)), reqRange: range(pick((r) => r.reqPerSec)),
    p50: median(pick((r) => r.p50)),
    p99: median(pick((r) => r.p99)), p99Range: range(pick((r) => r.p99)),
    errors: pick((r) => r.errors).reduce((a, b) => a + b, 0),
    processMs: median(pick((r) => r.cpu.processMsPerItem)),
    postgresMs: median(pick((r) => r.cpu.postgresMsPerItem)),
  };
}

export default {
  id: 'single',
  title: `Single-group POST, ${CONCURRENCY} clients, fingerprints from a pool of ${POOL.toLocaleString('en')}; ${roundsText} alternating service and baseline`,
  async run(ctx) {
    const path = ingestPath(ctx);
    const auth = ingestAuth(ctx);

    // The baseline gets its own table shaped like error_groups, in the same database.
    const svcRounds = [];
    const baseRounds = [];
    await withBaseline(ctx, { name: 'baseline', script: 'server.mjs', log: 'baseline', table: BASELINE_TABLE, like: 'error_groups' }, async ({ proc, port }) => {
      for (let i = 1; i <= ROUNDS; i++) {
        await ctx.quiesce();
        svcRounds.push(await round(ctx, 'single', `service (round ${i})`, ctx.service.pid, ctx.service.port, path, auth));
        await ctx.quiesce();
        baseRounds.push(await round(ctx, 'single', `baseline (round ${i})`, proc.pid, port, path, {}));
      }
    });

    // Both sides merged every report: counts and histogram counts add up to the answered requests.
    const sent = (rounds) => rounds.reduce((a, r) => a + r.requests + r.warmupRequests - r.errors, 0);
    const sums = async (sql) => (await query(ctx.databaseUrl, sql))[0];
    const merged = (t, extra = '') => `SELECT COALESCE(sum(count), 0)::bigint AS n, COALESCE(sum((attributes->'version'->>'2.4.0')::bigint), 0)::bigint AS version,
      COALESCE(sum((attributes->'platform'->>'Linux')::bigint), 0)::bigint AS platform FROM ${t} WHERE fingerprint LIKE 'single-%' ${extra}`;
    const s = await sums(merged('error_groups', `AND project_id = (SELECT id FROM projects WHERE key = '${ctx.project.key.replace(/'/g, "''")}')`));
    const b = await sums(merged(BASELINE_TABLE));
    ctx.note('single', `merged counts (count, version 2.4.0, platform Linux) against answered requests: service ${s.n}, ${s.version}, ${s.platform} of ${sent(svcRounds)}; baseline ${b.n}, ${b.version}, ${b.platform} of ${sent(baseRounds)}`);

    const svc = summary(svcRounds);
    const base = summary(baseRounds);
    const ratios = svcRounds.map((s, i) => s.reqPerSec / baseRounds[i].reqPerSec);
    const p99Ratios = svcRounds.map((s, i) => s.p99 / baseRounds[i].p99);
    ctx.note('single', `service/baseline req/s by round: ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)}); p99 service/baseline by round: ${p99Ratios.map((r) => r.toFixed(2)).join(', ')}`);
    return [
      { figure: 'single_req_per_s', label: `single: requests/s, median of ${ROUNDS} alternating rounds (ratio: median of the rounds' ratios)`, unit: 'req/s',
        value: svc.reqPerSec, range: svc.reqRange, baseline: base.reqPerSec, baselineRange: base.reqRange, ratio: median(ratios),
        target: { on: 'ratio', op: '>=', value: 1.0, text: 'service/baseline ≥ 1.0' } },
      { figure: 'single_p50_ms', label: 'single: p50 latency (median of rounds)', unit: 'ms', value: svc.p50, baseline: base.p50 },
      { figure: 'single_p99_ms', label: 'single: p99 latency (median of rounds)', unit: 'ms', value: svc.p99, range: svc.p99Range, baseline: base.p99, baselineRange: base.p99Range,
        target: { on: 'ratio', op: '<=', value: 1.2, text: '≤ 1.2 × baseline p99' } },
      { figure: 'single_errors', label: 'single: failed requests, service + baseline (all rounds)', unit: '', value: svc.errors + base.errors, ratio: null,
        target: { on: 'value', op: '<=', value: 0, text: '0 (sanity)' } },
      // Less sensitive to other work on the machine than req/s: what one request costs.
      { figure: 'single_cpu_ms_per_req', label: 'single: process CPU per request', unit: 'ms', value: svc.processMs, baseline: base.processMs },
      { figure: 'single_pg_cpu_ms_per_req', label: 'single: PostgreSQL CPU per request', unit: 'ms', value: svc.postgresMs, baseline: base.postgresMs },
    ];
  },
};

export const singleEmbedded = {
  id: 'single-embedded',
  mode: 'embedded',
  title: `Single-group POST in embedded mode, ${CONCURRENCY} clients, pool of ${POOL.toLocaleString('en')}; ${roundsText} alternating with a PostgreSQL-mode service started beside it`,
  async run(ctx) {
    const companion = await ctx.postgresCompanion();
    const rounds = [];
    const pgRounds = [];
    try {
      const pg = companion.ctx;
      for (let i = 1; i <= ROUNDS; i++) {
        await ctx.quiesce();
        rounds.push(await round(ctx, 'single-embedded', `service (embedded, round ${i})`, ctx.service.pid, ctx.service.port, ingestPath(ctx), ingestAuth(ctx)));
        await pg.quiesce();
        pgRounds.push(await round(pg, 'single-embedded', `service (PostgreSQL, round ${i})`, pg.service.pid, pg.service.port, ingestPath(pg), ingestAuth(pg)));
      }
    } finally {
      await companion.stop();
    }
    const svc = summary(rounds);
    const pg = summary(pgRounds);
    const ratios = rounds.map((r, i) => r.reqPerSec / pgRounds[i].reqPerSec);
    ctx.note('single-embedded', `embedded/PostgreSQL req/s by round: ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)})`);
    return [
      { figure: 'single_embedded_req_per_s', label: `single (embedded): requests/s, median of ${ROUNDS} rounds alternating with PostgreSQL mode (ratio: median of the rounds' ratios)`, unit: 'req/s',
        value: svc.reqPerSec, range: svc.reqRange, baseline: pg.reqPerSec, baselineRange: pg.reqRange, ratio: median(ratios),
        target: { on: 'ratio', op: '>=', value: 0.8, text: 'embedded/PostgreSQL ≥ 0.8' } },
      { figure: 'single_embedded_p99_ms', label: 'single (embedded): p99 latency (median of rounds)', unit: 'ms', value: svc.p99, range: svc.p99Range, baseline: pg.p99, baselineRange: pg.p99Range },
      { figure: 'single_embedded_errors', label: 'single (embedded): failed requests, embedded + PostgreSQL (all rounds)', unit: '', value: svc.errors + pg.errors,
        target: { on: 'value', op: '<=', value: 0, text: '0 (sanity)' } },
      { figure: 'single_embedded_cpu_ms_per_req', label: 'single (embedded): process CPU per request (PGlite included)', unit: 'ms', value: svc.processMs },
    ];
  },
};
