// single: one group per request at 32 clients, against the service and, under
// the same load in the same run, against the bare node:http + pg baseline.
import { join } from 'node:path';
import { runLoad } from '../lib/load.mjs';
import { singleGroupBody } from '../lib/groups.mjs';
import { cpuWindow, freePort, startNode, waitHealthy } from '../lib/processes.mjs';
import { query } from '../lib/stores.mjs';

const CONCURRENCY = 32;
const POOL = 5_000;
const BASELINE_TABLE = 'bench_baseline_groups';

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

export default {
  id: 'single',
  title: `Single-group POST, ${CONCURRENCY} clients, fingerprints from a pool of ${POOL.toLocaleString('en')}`,
  async run(ctx) {
    const path = `/api/v1/projects/${ctx.project.key}/groups`;
    const cpu = cpuWindow(ctx.service.pid);
    const svc = await load(ctx, ctx.service.port, path, { authorization: `Bearer ${ctx.project.ingestToken}` });
    const svcCpu = ctx.cpuNote('single', 'service', cpu(await ctx.backendPids()), svc.requests + svc.warmupRequests, 'request');
    ctx.note('single', `service: ${svc.requests} requests in ${svc.seconds.toFixed(1)} s after ${svc.warmupRequests} warm-up requests; max ${svc.max.toFixed(1)} ms`);
    if (svc.sampleErrors.length) ctx.note('single', `service errors, e.g. ${svc.sampleErrors.join(' | ')}`);

    // The baseline gets its own table shaped like error_groups, in the same database.
    await ctx.quiesce();
    await query(ctx.databaseUrl, `CREATE TABLE ${BASELINE_TABLE} (LIKE error_groups INCLUDING ALL)`);
    const port = await freePort();
    const baseline = startNode({
      name: 'baseline',
      script: join(ctx.benchDir, 'baseline', 'server.mjs'),
      env: { PATH: process.env.PATH, DATABASE_URL: ctx.databaseUrl, PORT: String(port), BASELINE_TABLE },
      logFile: join(ctx.tmpDir, 'baseline.log'),
    });
    let base;
    let baseCpu;
    try {
      await waitHealthy(baseline, port, '/health', 15_000);
      const cpuBase = cpuWindow(baseline.pid);
      base = await load(ctx, port, path, {});
      baseCpu = ctx.cpuNote('single', 'baseline', cpuBase(await ctx.backendPids()), base.requests + base.warmupRequests, 'request');
      ctx.note('single', `baseline: ${base.requests} requests in ${base.seconds.toFixed(1)} s after ${base.warmupRequests} warm-up requests; max ${base.max.toFixed(1)} ms`);
      if (base.sampleErrors.length) ctx.note('single', `baseline errors, e.g. ${base.sampleErrors.join(' | ')}`);
    } finally {
      await baseline.stop(5_000);
    }

    return [
      { figure: 'single_req_per_s', label: 'single: requests/s', unit: 'req/s', value: svc.reqPerSec, baseline: base.reqPerSec,
        target: { on: 'ratio', op: '>=', value: 0.5, text: 'service/baseline ≥ 0.5' } },
      { figure: 'single_p50_ms', label: 'single: p50 latency', unit: 'ms', value: svc.p50, baseline: base.p50 },
      { figure: 'single_p99_ms', label: 'single: p99 latency', unit: 'ms', value: svc.p99, baseline: base.p99,
        target: { on: 'value', op: '<', value: 50, text: '< 50 ms' } },
      { figure: 'single_errors', label: 'single: failed requests', unit: '', value: svc.errors, baseline: base.errors, ratio: null,
        target: { on: 'value', op: '<=', value: 0, text: '0 (sanity)' } },
      // Less sensitive to other work on the machine than req/s: what one request costs.
      { figure: 'single_cpu_ms_per_req', label: 'single: process CPU per request', unit: 'ms', value: svcCpu.processMsPerItem, baseline: baseCpu.processMsPerItem },
      { figure: 'single_pg_cpu_ms_per_req', label: 'single: PostgreSQL CPU per request', unit: 'ms', value: svcCpu.postgresMsPerItem, baseline: baseCpu.postgresMsPerItem },
    ];
  },
};
