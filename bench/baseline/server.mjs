// The baseline: the least a Node service must do for a single-group report. A bare
// node:http server and a pg pool of 20 (the service's production pool size) doing
// one upsert per request into a table shaped like error_groups, answering 201/200
// with the row. No framework, validation, auth, transaction or outbox: the
// service/baseline ratio shows what those cost.
//
// Run as a child process by bench/scenarios/ingest-single.mjs:
//   DATABASE_URL=... PORT=... BASELINE_TABLE=... node bench/baseline/server.mjs
import http from 'node:http';
import pg from 'pg';

const table = process.env.BASELINE_TABLE ?? 'bench_baseline_groups';
if (!/^[a-z_]+$/.test(table)) throw new Error('bad BASELINE_TABLE');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

const UPSERT = `
  INSERT INTO ${table} (project_id, fingerprint, title, count, first_seen, last_seen, attributes)
  VALUES ($1, $2, $3, $4, $5, $5, $6)
  ON CONFLICT (project_id, fingerprint) DO UPDATE
     SET count = ${table}.count + EXCLUDED.count,
         last_seen = greatest(${table}.last_seen, EXCLUDED.last_seen),
         updated_at = now()
  RETURNING id, fingerprint, title, count, first_seen AS "firstSeen", last_seen AS "lastSeen", attributes, state,
            updated_at AS "updatedAt", (xmax = 0) AS created`;

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
      const { rows } = await pool.query(UPSERT, [1, g.fingerprint, g.title || g.fingerprint, g.count ?? 1, now, JSON.stringify(g.attributes ?? {})]);
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
