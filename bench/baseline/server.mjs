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
import http from 'node:http';
import pg from 'pg';

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
  ON CONFLICT (project_id, fingerprint) DO UPDATE SET
    title = COALESCE($3::text, g.title),
    callstack = CASE WHEN EXCLUDED.callstack = '[]'::jsonb THEN g.callstack ELSE EXCLUDED.callstack END,
    classifiers = CASE WHEN EXCLUDED.classifiers = '[]'::jsonb THEN g.classifiers ELSE EXCLUDED.classifiers END,
    count = g.count + EXCLUDED.count,
    first_seen = LEAST(g.first_seen, EXCLUDED.first_seen),
    last_seen = GREATEST(g.last_seen, EXCLUDED.last_seen),
    link = COALESCE(EXCLUDED.link, g.link),
    attributes = CASE WHEN EXCLUDED.attributes = '{}'::jsonb THEN g.attributes ELSE g.attributes || (
      SELECT jsonb_object_agg(d.key, COALESCE(g.attributes -> d.key, '{}'::jsonb) || (
               SELECT jsonb_object_agg(e.key, COALESCE((g.attributes -> d.key -> e.key)::numeric, 0) + e.value::numeric)
                 FROM jsonb_each(d.value) e))
        FROM jsonb_each(EXCLUDED.attributes) d) END,
    updated_at = now()
  RETURNING id, fingerprint, title, callstack, classifiers, count, first_seen AS "firstSeen", last_seen AS "lastSeen", link,
            attributes, state, updated_at AS "updatedAt", (xmax = 0) AS created`,
};

/** A report's attributes as histograms, as the service normalises them: a scalar counts `count` once, an object or [value, n] list adds its counts. */
function histograms(attrs, count) {
  const out = {};
  if (!attrs || typeof attrs !== 'object') return out;
  for (const [name, v] of Object.entries(attrs)) {
    const h = new Map();
    if (v === null || typeof v !== 'object') {
      if (count > 0) h.set(String(v), count);
    } else if (Array.isArray(v)) {
      for (const [value, c] of v) if (c > 0) h.set(String(value), (h.get(String(value)) ?? 0) + c);
    } else {
      for (const [value, c] of Object.entries(v)) if (c > 0) h.set(value, c);
    }
    if (h.size > 0) out[name] = Object.fromEntries(h);
  }
  return out;
}

const nonEmpty = (a) => (Array.isArray(a) && a.length > 0 ? JSON.stringify(a) : '[]');

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
  if (req.method !== 'POST' || !/^\/api\/v1\/projects\/[^/]+\/groups$/.test(req.url)) return send(res, 404, { statusCode: 404 });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let g;
    try {
      g = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { statusCode: 400, message: ['body must be JSON'] });
    }
    if (typeof g?.fingerprint !== 'string' || g.fingerprint.length === 0 || g.fingerprint.length > 256) {
      return send(res, 400, { statusCode: 400, message: ['fingerprint must be 1-256 characters'] });
    }
    try {
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
    } catch (err) {
      send(res, 500, { statusCode: 500, message: String(err.message) });
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');

const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
