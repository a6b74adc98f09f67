// Request bodies for the ingestion scenarios.
import { randomInt } from 'node:crypto';

/** Small attributes, as the brief fixes them. */
export const ATTRIBUTES = Object.freeze({ version: { '2.4.0': 1 }, platform: 'Linux' });

/** A single-group body: a random fingerprint from a pool, so inserts and updates both happen. */
export function singleGroupBody(poolSize, prefix = 'single') {
  return JSON.stringify({ fingerprint: `${prefix}-${randomInt(poolSize)}`, attributes: ATTRIBUTES });
}

/**
 * Batches of distinct fingerprints: half are new (`batch-<n>`, n counting up), half
 * update groups created by earlier batches, as a tracker's periodic sync would.
 * `state.issued` is shared between the batch and RSS scenarios.
 */
export function makeBatchBody(state, size) {
  const fps = new Set();
  const reuse = Math.min(Math.floor(size / 2), state.issued);
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
