// The baseline for `webhooks`: the least a Node service must do to take a signed Jira Cloud
// webhook durably. A bare node:http server and a pg pool of 20 that checks
// `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the webhook secret (the
// scheme the service checks, src/common/crypto/tokens.ts), parses the body, and inserts the
// event with one autocommitted INSERT (durable once answered: synchronous_commit stays on)
// into a table created `LIKE webhook_events INCLUDING ALL`, answering 202 {"status":"accepted"}.
// It leaves out what the service does besides: project and secret look-up, delivery
// de-duplication (identifier and body hash), the apply job, and refusal counting.
//
// Run as a child process by bench/scenarios/webhooks.mjs:
//   DATABASE_URL=... PORT=... BASELINE_TABLE=... WEBHOOK_SECRET=... PROJECT_ID=... node bench/baseline/webhook-server.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const table = process.env.BASELINE_TABLE ?? 'bench_baseline_webhook_events';
if (!/^[a-z_]+$/.test(table)) throw new Error('bad BASELINE_TABLE');
const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new Error('WEBHOOK_SECRET is required');
const projectId = process.env.PROJECT_ID ?? '1';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const INSERT = { name: 'baseline_webhook_insert', text: `INSERT INTO ${table} (project_id, issue_id, change) VALUES ($1, $2, $3)` };
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const MAX_BODY = 1024 * 1024;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function authentic(raw, header) {
  const m = typeof header === 'string' ? SIGNATURE.exec(header.trim()) : null;
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(m[1], 'hex'));
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
  if (req.method !== 'POST' || !/^\/webhooks\/jira\/[^/?]+$/.test(req.url)) return send(res, 404, { statusCode: 404 });
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', async () => {
    if (size > MAX_BODY) return send(res, 413, { statusCode: 413 });
    const raw = Buffer.concat(chunks);
    if (!authentic(raw, req.headers['x-hub-signature'])) return send(res, 401, { statusCode: 401, message: 'webhook signature is missing or wrong' });
    let e;
    try {
      e = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, 400, { statusCode: 400, message: 'body must be JSON' });
    }
    const issueId = e?.issue?.id;
    if (typeof issueId !== 'string' || !Array.isArray(e?.changelog?.items)) return send(res, 400, { statusCode: 400, message: 'not an issue event' });
    try {
      // The part of the event an apply job needs, about the size of the service's parsed change.
      const change = { kind: e.webhookEvent, issueId, issueKey: e.issue.key, timestamp: e.timestamp, items: e.changelog.items, status: e.issue.fields?.status?.name ?? null };
      await pool.query(INSERT, [projectId, issueId, JSON.stringify(change)]);
      send(res, 202, { status: 'accepted' });
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
