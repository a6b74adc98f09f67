// rss: keep posting batches until 100,000 groups have been ingested by batches in
// total (the batch scenario's count included), then read the service's VmRSS.
import { runLoad } from '../lib/load.mjs';
import { checkBatch, makeBatchBody } from '../lib/groups.mjs';
import { readRss } from '../lib/processes.mjs';
import { BATCH_CLIENTS, BATCH_SIZE } from './ingest-batch.mjs';

const TOTAL = 100_000;
const MAX_TOP_UP_MS = 60_000;

export default {
  id: 'rss',
  title: `Service RSS after ${TOTAL.toLocaleString('en')} groups ingested in batches`,
  async run(ctx) {
    const state = ctx.state.batch;
    const path = `/api/v1/projects/${ctx.project.key}/groups`;
    const headers = { authorization: `Bearer ${ctx.project.ingestToken}` };
    const before = state.ingested;
    if (state.ingested < TOTAL) {
      const r = await runLoad({
        port: ctx.service.port,
        concurrency: BATCH_CLIENTS,
        durationMs: MAX_TOP_UP_MS,
        next: () => ({ path, headers, body: makeBatchBody(state, BATCH_SIZE) }),
        check: checkBatch(state),
        until: () => state.ingested >= TOTAL,
      });
      if (r.sampleErrors.length) ctx.note('rss', `errors, e.g. ${r.sampleErrors.join(' | ')}`);
    }
    if (state.ingested < TOTAL) throw new Error(`only ${state.ingested} groups ingested within ${MAX_TOP_UP_MS} ms`);
    const { rssMb, peakMb } = readRss(ctx.service.pid);
    ctx.note('rss', `${state.ingested} groups ingested in batches (${state.ingested - before} in this top-up), ${state.issued} distinct batch fingerprints; peak RSS (VmHWM) ${peakMb.toFixed(1)} MB`);
    return [
      { figure: 'rss_mb', label: `rss: after ${TOTAL / 1000}k groups`, unit: 'MB', value: rssMb,
        target: { on: 'value', op: '<', value: 300, text: '< 300 MB' } },
    ];
  },
};
