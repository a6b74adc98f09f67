// The batch baseline: the least a Node service must do for a batch of groups. A bare
// node:http server and a pg pool of 2 doing, per request, one
// `INSERT … SELECT FROM jsonb_populate_recordset(…) ON CONFLICT (project_id, fingerprint) DO UPDATE`
// of the batch's rows into a table shaped like error_groups, merging as the service does:
// counts add, first/last seen take the min/max, title, callstack, classifiers and link the
// latest non-empty value, attribute histograms add up value by value. Rows go in
// fingerprint order, so overlapping batches lock alike and do not deadlock. No framework,
// validation, auth, transaction, activity, hourly counts or job queue: the service/baseline
// ratio shows what those cost. Answers {"results": [{fingerprint, status}]} like the service.
//
// Run as a child process by bench/scenarios/ingest-batch.mjs:
//   DATABASE_URL=... PORT=... BASELINE_TABLE=... node bench/baseline/batch-upsert.mjs
import pg from 'pg';
import { send, serveBare } from './bare-http.mjs';
import { histograms, mergeSet } from './group-merge.mjs';

const table = process.env.BASELINE_TABLE ?? 'bench_baseline_batch_groups';
if (!/^[a-z_]+$/.test(table)) throw new Error('bad BASELINE_TABLE');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

const UPSERT = `
  INSERT INTO ${table} AS g (project_id, fingerprint, title, callstack, classifiers, count, first_seen, last_seen, link, attributes)
  SELECT 1, r.fingerprint, r.title, r.callstack, r.classifiers, r.count, r.first_seen, r.last_seen, r.link, r.attributes
    FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) r
   ORDER BY r.fingerprint
  ON CONFLICT (project_id, fingerprint) DO UPDATE SET${mergeSet('CASE WHEN EXCLUDED.title <> EXCLUDED.fingerprint THEN EXCLUDED.title ELSE g.title END')}
  RETURNING g.fingerprint, (g.xmax = 0) AS created`;

function addInto(target, h) {
  for (const [name, values] of Object.entries(h)) {
    const t = (target[name] ??= {});
    for (const [value, c] of Object.entries(values)) t[value] = (t[value] ?? 0) + c;
  }
}

/** The batch's rows, one per fingerprint (repeats folded in order), sorted by fingerprint. */
function rowsOf(groups, now) {
  const byFp = new Map();
  for (const g of groups) {
    if (typeof g?.fingerprint !== 'string' || g.fingerprint.length === 0 || g.fingerprint.length > 256) throw new Error('fingerprint must be 1-256 characters');
    const count = g.count ?? 1;
    const first = g.firstSeen ?? g.lastSeen ?? now;
    const last = g.lastSeen ?? g.firstSeen ?? now;
    const r = byFp.get(g.fingerprint);
    if (!r) {
      byFp.set(g.fingerprint, {
        fingerprint: g.fingerprint, title: g.title || g.fingerprint, callstack: g.callstack ?? [], classifiers: g.classifiers ?? [],
        count, first_seen: first, last_seen: last, link: g.link ?? null, attributes: histograms(g.attributes, count),
      });
      continue;
    }
    if (g.title) r.title = g.title;
    if (g.callstack?.length) r.callstack = g.callstack;
    if (g.classifiers?.length) r.classifiers = g.classifiers;
    if (g.link) r.link = g.link;
    r.count += count;
    if (first < r.first_seen) r.first_seen = first;
    if (last > r.last_seen) r.last_seen = last;
    addInto(r.attributes, histograms(g.attributes, count));
  }
  return [...byFp.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
}


serveBare({
  pool,
  route: /^\/api\/v1\/projects\/[^/]+\/groups$/,
  async handle(raw, _req, res) {
    let groups;
    let rows;
    try {
      groups = JSON.parse(raw.toString('utf8')).groups;
      if (!Array.isArray(groups) || groups.length === 0 || groups.length > 1_000) throw new Error('groups must hold 1 to 1,000 groups');
      rows = rowsOf(groups, new Date().toISOString());
    } catch (err) {
      return send(res, 400, { statusCode: 400, message: [String(err.message)] });
    }
    const { rows: written } = await pool.query(UPSERT, [JSON.stringify(rows)]);
    const created = new Map(written.map((w) => [w.fingerprint, w.created]));
    const seen = new Set();
    const results = groups.map(({ fingerprint }) => {
      const first = !seen.has(fingerprint);
      seen.add(fingerprint);
      return { fingerprint, status: created.get(fingerprint) && first ? 'created' : 'updated' };
    });
    send(res, 200, { results });
  },
});
