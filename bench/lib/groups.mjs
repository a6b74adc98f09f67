// Request bodies for the ingestion scenarios.
import { randomInt } from 'node:crypto';

/** Small attributes, as the brief fixes them. */
export const ATTRIBUTES = Object.freeze({ version: { '2.4.0': 1 }, platform: 'Linux' });

/** A single-group body: a random fingerprint from a pool, so inserts and updates both happen. */
export function singleGroupBody(poolSize, prefix = 'single') {
  return JSON.stringify({ fingerprint: `${prefix}-${randomInt(poolSize)}`, attributes: ATTRIBUTES });
}

/** Share of each batch that updates earlier groups (BENCH_BATCH_UPDATE_FRACTION, default 0.5). */
export const UPDATE_FRACTION = Math.min(1, Math.max(0, Number(process.env.BENCH_BATCH_UPDATE_FRACTION ?? 0.5)));

/**
 * Batches of distinct fingerprints: some are new (`batch-<n>`, n counting up), the
 * rest (`updateFraction`, default UPDATE_FRACTION) update random groups created by
 * earlier batches, as a tracker's periodic sync would. Concurrent batches then share
 * some fingerprints. `state.issued` is shared between the batch and RSS scenarios.
 */
export function makeBatchBody(state, size, updateFraction = UPDATE_FRACTION) {
  const fps = new Set();
  const reuse = Math.min(Math.floor(size * updateFraction), state.issued);
  while (fps.size < reuse) fps.add(`batch-${randomInt(state.issued)}`);
  while (fps.size < size) fps.add(`batch-${state.issued++}`);
  const groups = [];
  for (const fingerprint of fps) groups.push({ fingerprint, count: 1, attributes: ATTRIBUTES });
  return JSON.stringify({ groups });
}

/** Checks a batch answer; returns the accepted item count or -1, and adds to state. */
export function checkBatch(state) {
  return (res) => {
    if (res.status !== 200) return -1;
    let results;
    try {
      results = JSON.parse(res.body).results;
    } catch {
      return -1;
    }
    let ok = 0;
    for (const r of results) if (r.status !== 'error') ok++;
    state.ingested += ok;
    state.itemErrors += results.length - ok;
    return ok;
  };
}
