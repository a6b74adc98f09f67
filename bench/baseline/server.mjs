// The baseline for `single`: the least a Node service must do for a single-group report. A
// bare node:http server and a pg pool of 20 (the service's production pool size) doing ONE
// upsert per request, outside any transaction block, into a table shaped like error_groups
// (`LIKE error_groups INCLUDING ALL`), answering 201/200 with the row.
//
// The upsert does the whole merge the service's ingest statement does for a report
// (src/database/repositories/group.repository.ts, docs/decisions/coalesced-upsert.md):
// count added, first_seen the least, last_seen the greatest, title, callstack,
// classifiers and link the latest non-empty value, attribute histograms added value by
// value. It leaves out what the service does besides: authentication, validation beyond
// the fingerprint, the attribute limits, activity entries, the change feed, counts by
// hour, ticket rules and the outbox. The service/baseline ratio shows what those cost.
//
// Run as a child process by bench/scenarios/ingest-single.mjs:
//   DATABASE_URL=... PORT=... BASELINE_TABLE=... node bench/baseline/server.mjs
import pg from 'pg';
import { send, serveBare } from './bare-http.mjs';
import { histograms, mergeSet } from './group-merge.mjs';

const table = process.env.BASELINE_TABLE ?? 'bench_baseline_groups';
if (!/^[a-z_]+$/.test(table)) throw new Error('bad BASELINE_TABLE');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

// $1 project, $2 fingerprint, $3 title or null, $4 callstack, $5 classifiers (jsonb arrays,
// [] for none), $6 count, $7 first seen, $8 last seen, $9 link or null, $10 histograms.
const UPSERT = {
  name: 'baseline_upsert',
  text: `
  INSERT INTO ${table} AS g (project_id, fingerprint, title, callstack, classifiers, count, first_seen, last_seen, link, attributes)
  VALUES ($1, $2::text, COALESCE($3::text, $2::text), $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT (project_id, fingerprint) DO UPDATE SET${mergeSet('COALESCE($3::text, g.title)')}
  RETURNING id, fingerprint, title, callstack, classifiers, count, first_seen AS "firstSeen", last_seen AS "lastSeen", link,
            attributes, state, updated_at AS "updatedAt", (xmax = 0) AS created`,
};

const nonEmpty = (a) => (Array.isArray(a) && a.length > 0 ? JSON.stringify(a) : '[]');

serveBare({
  pool,
  route: /^\/api\/v1\/projects\/[^/]+\/groups$/,
  async handle(raw, _req, res) {
    let g;
    try {
      g = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, 400, { statusCode: 400, message: ['body must be JSON'] });
    }
    if (typeof g?.fingerprint !== 'string' || g.fingerprint.length === 0 || g.fingerprint.length > 256) {
      return send(res, 400, { statusCode: 400, message: ['fingerprint must be 1-256 characters'] });
    }
    const now = new Date();
    const count = g.count ?? 1;
    const first = g.firstSeen ? new Date(g.firstSeen) : undefined;
    const last = g.lastSeen ? new Date(g.lastSeen) : undefined;
    const { rows } = await pool.query(UPSERT, [
      1, g.fingerprint, g.title || null, nonEmpty(g.callstack), nonEmpty(g.classifiers), count,
      first ?? last ?? now, last ?? first ?? now, g.link || null, JSON.stringify(histograms(g.attributes, count)),
    ]);
    const { created, ...group } = rows[0];
    send(res, created ? 201 : 200, group);
  },
});
