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
import pg from 'pg';
import { send, serveBare } from './bare-http.mjs';

const table = process.env.BASELINE_TABLE ?? 'bench_baseline_webhook_events';
if (!/^[a-z_]+$/.test(table)) throw new Error('bad BASELINE_TABLE');
const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new Error('WEBHOOK_SECRET is required');
const projectId = process.env.PROJECT_ID ?? '1';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const INSERT = { name: 'baseline_webhook_insert', text: `INSERT INTO ${table} (project_id, issue_id, change) VALUES ($1, $2, $3)` };
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const MAX_BODY = 1024 * 1024;


function authentic(raw, header) {
  const m = typeof header === 'string' ? SIGNATURE.exec(header.trim()) : null;
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(m[1], 'hex'));
}

serveBare({
  pool,
  route: /^\/webhooks\/jira\/[^/?]+$/,
  maxBody: MAX_BODY,
  async handle(raw, req, res) {
    if (!authentic(raw, req.headers['x-hub-signature'])) return send(res, 401, { statusCode: 401, message: 'webhook signature is missing or wrong' });
    let e;
    try {
      e = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, 400, { statusCode: 400, message: 'body must be JSON' });
    }
    const issueId = e?.issue?.id;
    if (typeof issueId !== 'string' || !Array.isArray(e?.changelog?.items)) return send(res, 400, { statusCode: 400, message: 'not an issue event' });
    // The part of the event an apply job needs, about the size of the service's parsed change.
    const change = { kind: e.webhookEvent, issueId, issueKey: e.issue.key, timestamp: e.timestamp, items: e.changelog.items, status: e.issue.fields?.status?.name ?? null };
    await pool.query(INSERT, [projectId, issueId, JSON.stringify(change)]);
    send(res, 202, { status: 'accepted' });
  },
});
