// batch: {"groups": [1,000 groups]} per request, 2 at a time, against the service and, under the
// same load in the same run, against the bare batch baseline (bench/baseline/batch-upsert.mjs: one
// INSERT … SELECT FROM jsonb_populate_recordset(…) ON CONFLICT per batch, 2 connections, into a table
// created LIKE error_groups INCLUDING ALL). Two workloads, the order A B B A:
// - new: 100,000 new groups per side (the workload), after a short warm-up;
// - mix: UPDATE_FRACTION of each batch updates random earlier groups of the same side, for the
//   measured duration.
// The figures are groups/s.
import { runLoad } from '../lib/load.mjs';
import { checkBatch, makeBatchBody, UPDATE_FRACTION } from '../lib/groups.mjs';
import { withBaseline } from '../lib/baselines.mjs';
import { cpuWindow } from '../lib/processes.mjs';
import { query } from '../lib/stores.mjs';

export const BATCH_SIZE = 1_000;
export const BATCH_CLIENTS = 2;
const NEW_GROUPS = 100_000;
const MAX_NEW_MS = 120_000;
const BASELINE_TABLE = 'bench_baseline_batch_groups';
const MIX = Math.round(UPDATE_FRACTION * 100);

/** One side (service or baseline) of the new-groups workload, then of the mix, or the other way round. */
async function measure(ctx, who, target, workload) {
  const { port, headers, pid, state } = target;
  const path = `/api/v1/projects/${ctx.project.key}/groups`;
  const spec = (fraction) => () => ({ path, headers, body: makeBatchBody(state, BATCH_SIZE, fraction) });
  const warmupMs = Math.min(1_000, ctx.options.warmupMs);
  let r;
  let warmupBatches = 0;
  const cpu = cpuWindow(pid);
  if (workload === 'new') {
    const w = await runLoad({ port, concurrency: BATCH_CLIENTS, durationMs: warmupMs, next: spec(0), check: checkBatch(state) });
    warmupBatches = w.requests + w.warmupRequests;
    const until = state.issued + NEW_GROUPS;
    r = await runLoad({ port, concurrency: BATCH_CLIENTS, durationMs: MAX_NEW_MS, next: spec(0), check: checkBatch(state), until: () => state.issued >= until });
  } else {
    r = await runLoad({ port, concurrency: BATCH_CLIENTS, warmupMs, durationMs: ctx.options.durationMs, next: spec(UPDATE_FRACTION), check: checkBatch(state) });
  }
  const batches = warmupBatches + r.requests + r.warmupRequests;
  const used = ctx.cpuNote('batch', `${who} (${workload})`, cpu(await ctx.backendPids()), (batches * BATCH_SIZE) / 1000, '1,000 groups');
  ctx.note('batch', `${who} (${workload}): ${r.requests} batches in ${r.seconds.toFixed(1)} s (p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms per batch); ${state.issued} distinct fingerprints so far`);
  if (r.sampleErrors.length) ctx.note('batch', `${who} (${workload}) errors, e.g. ${r.sampleErrors.join(' | ')}`);
  return { ...r, used };
}

export default {
  id: 'batch',
  title:
    `${BATCH_SIZE.toLocaleString('en')}-group batches, ${BATCH_CLIENTS} at a time, service against a bare batch upsert: ` +
    `${NEW_GROUPS.toLocaleString('en')} new groups each, then ${MIX}% of each batch updating random earlier groups`,
  async run(ctx) {
    await ctx.quiesce();
    const service = { port: ctx.service.port, pid: ctx.service.pid, headers: { authorization: `Bearer ${ctx.project.ingestToken}` }, state: ctx.state.batch };
    const svc = {};
    svc.new = await measure(ctx, 'service', service, 'new');

    // The baseline gets its own table shaped like error_groups (its indexes included), in the same database,
    // and its own fingerprint sequence from 0.
    await ctx.quiesce();
    const base = {};
    const baselineState = { issued: 0, ingested: 0, itemErrors: 0 };
    const server = { name: 'batch-baseline', script: 'batch-upsert.mjs', log: 'batch-baseline', table: BASELINE_TABLE, like: 'error_groups' };
    try {
      await withBaseline(ctx, server, async ({ proc, port }) => {
        const baseline = { port, pid: proc.pid, headers: {}, state: baselineState };
        base.new = await measure(ctx, 'baseline', baseline, 'new');
        base.mix = await measure(ctx, 'baseline', baseline, 'mix');
      });
    } finally {
      await query(ctx.databaseUrl, `DROP TABLE IF EXISTS ${BASELINE_TABLE}`);
    }
    await ctx.quiesce();
    svc.mix = await measure(ctx, 'service', service, 'mix');

    const target = { on: 'ratio', op: '>=', value: 0.5, text: '≥ 0.5× the bare batch upsert' };
    const errors = (w) => w.new.errors + w.mix.errors;
    return [
      { figure: 'batch_groups_per_s', label: `batch: groups/s, ${NEW_GROUPS / 1000}k new groups`, unit: 'groups/s', value: svc.new.itemsPerSec, baseline: base.new.itemsPerSec, target },
      { figure: 'batch_mix_groups_per_s', label: `batch: groups/s, ${MIX}% updates`, unit: 'groups/s', value: svc.mix.itemsPerSec, baseline: base.mix.itemsPerSec, target },
      { figure: 'batch_errors', label: 'batch: failed requests + rejected items', unit: '', value: errors(svc) + service.state.itemErrors,
        baseline: errors(base) + baselineState.itemErrors, ratio: null, target: { on: 'value', op: '<=', value: 0, text: '0 (sanity)' } },
      { figure: 'batch_cpu_ms_per_1k', label: 'batch: process CPU per 1,000 new groups', unit: 'ms', value: svc.new.used.processMsPerItem, baseline: base.new.used.processMsPerItem },
      { figure: 'batch_pg_cpu_ms_per_1k', label: 'batch: PostgreSQL CPU per 1,000 new groups', unit: 'ms', value: svc.new.used.postgresMsPerItem, baseline: base.new.used.postgresMsPerItem },
      { figure: 'batch_mix_cpu_ms_per_1k', label: `batch: process CPU per 1,000 groups, ${MIX}% updates`, unit: 'ms', value: svc.mix.used.processMsPerItem, baseline: base.mix.used.processMsPerItem },
      { figure: 'batch_mix_pg_cpu_ms_per_1k', label: `batch: PostgreSQL CPU per 1,000 groups, ${MIX}% updates`, unit: 'ms', value: svc.mix.used.postgresMsPerItem, baseline: base.mix.used.postgresMsPerItem },
    ];
  },
};
