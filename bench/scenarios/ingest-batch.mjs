// batch: {"groups": [1,000 groups]} per request at 4 clients; figure is groups/s.
import { runLoad } from '../lib/load.mjs';
import { checkBatch, makeBatchBody, UPDATE_FRACTION } from '../lib/groups.mjs';
import { cpuWindow } from '../lib/processes.mjs';

export const BATCH_SIZE = 1_000;
export const BATCH_CLIENTS = 4;

export default {
  id: 'batch',
  title: `${BATCH_SIZE.toLocaleString('en')}-group batches, ${BATCH_CLIENTS} clients; ${Math.round(UPDATE_FRACTION * 100)}% of each batch updates random earlier groups, the rest are new`,
  async run(ctx) {
    await ctx.quiesce();
    const path = `/api/v1/projects/${ctx.project.key}/groups`;
    const headers = { authorization: `Bearer ${ctx.project.ingestToken}` };
    const state = ctx.state.batch;
    const cpu = cpuWindow(ctx.service.pid);
    const r = await runLoad({
      port: ctx.service.port,
      concurrency: BATCH_CLIENTS,
      warmupMs: Math.min(1_000, ctx.options.warmupMs),
      durationMs: ctx.options.durationMs,
      next: () => ({ path, headers, body: makeBatchBody(state, BATCH_SIZE) }),
      check: checkBatch(state),
    });
    const used = ctx.cpuNote('batch', 'service', cpu(await ctx.backendPids()), ((r.requests + r.warmupRequests) * BATCH_SIZE) / 1000, '1,000 groups');
    ctx.note('batch', `${r.requests} batches in ${r.seconds.toFixed(1)} s after ${r.warmupRequests} warm-up batches (p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms per batch); ${state.issued} distinct batch fingerprints so far`);
    if (r.sampleErrors.length) ctx.note('batch', `errors, e.g. ${r.sampleErrors.join(' | ')}`);
    return [
      { figure: 'batch_groups_per_s', label: 'batch: groups/s', unit: 'groups/s', value: r.itemsPerSec,
        target: { on: 'value', op: '>=', value: 20_000, text: '≥ 20,000' } },
      { figure: 'batch_errors', label: 'batch: failed requests + rejected items', unit: '', value: r.errors + state.itemErrors,
        target: { on: 'value', op: '<=', value: 0, text: '0 (sanity)' } },
      { figure: 'batch_cpu_ms_per_1k', label: 'batch: process CPU per 1,000 groups', unit: 'ms', value: used.processMsPerItem },
      { figure: 'batch_pg_cpu_ms_per_1k', label: 'batch: PostgreSQL CPU per 1,000 groups', unit: 'ms', value: used.postgresMsPerItem },
    ];
  },
};
