#!/usr/bin/env node
// Disk used by the tables the retention job prunes, per row and per million rows (README "Retention").
//
//   createdb -h 127.0.0.1 -U postgres cb_storage
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cb_storage npm run migration:run
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cb_storage node bench/tools/storage-per-row.mjs [rows]
//
// Inserts `rows` (default 100,000) rows of each kind, shaped like the service's own (a real dedupe key and body
// hash, a group.created entry, a finished ticket job, an ingest answer kept under its Idempotency-Key), runs
// VACUUM ANALYZE, and reads pg_total_relation_size (heap, TOAST and every index) before and after. Prints one
// JSON line per table. Leaves the database as it found it apart from the rows' project, which it deletes.
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL (a migrated database) is required');
const rows = Number(process.argv[2] ?? 100_000);

const GROUP_ANSWER = JSON.stringify({
  fingerprint: 'NullPointerException:com.acme.checkout.CartService.total:118',
  title: 'NullPointerException in CartService.total',
  count: 3, firstSeen: '2026-12-01T10:00:00.000Z', lastSeen: '2026-12-01T10:05:00.000Z', state: 'open', assignee: null,
  link: null, regressions: 0, ticket: null, attributes: { version: { '2.4.1': 3 }, os: { android: 2, ios: 1 } },
});

/** Per table: the INSERT of $2 rows for project $1 (n runs 1..$2). */
const KINDS = {
  webhook_deliveries: `INSERT INTO webhook_deliveries (project_id, dedupe_key, body_sha256)
    SELECT $1, 'id:' || gen_random_uuid(), sha256(n::text::bytea) FROM generate_series(1, $2::int) n`,
  activity: `INSERT INTO activity (project_id, fingerprint, kind, source, detail)
    SELECT $1, 'NullPointerException:com.acme.checkout.CartService.total:' || n, 'group.created', 'ingest',
           'New group: NullPointerException in CartService.total (' || n || ')' FROM generate_series(1, $2::int) n`,
  outbox: `INSERT INTO outbox (project_id, kind, payload, dedupe_key, status, attempts, queued_at, finished_at)
    SELECT $1, 'ticket.create', jsonb_build_object('groupId', (1000000 + n)::text, 'auto', true), 'ticket.create:' || (1000000 + n),
           'done', 1, now(), now() FROM generate_series(1, $2::int) n`,
  idempotency_keys: `INSERT INTO idempotency_keys (project_id, key, body_hash, status_code, response)
    SELECT $1, gen_random_uuid()::text, encode(sha256(n::text::bytea), 'hex'), 201, $3::jsonb FROM generate_series(1, $2::int) n`,
};

const client = new pg.Client({ connectionString: url });
await client.connect();
const size = async (table) => Number((await client.query(`SELECT pg_total_relation_size($1::regclass) AS b`, [table])).rows[0].b);
const key = `storage-${process.pid}`;
const { rows: [project] } = await client.query(
  `INSERT INTO projects (key, name, ingest_token_hash) VALUES ($1::text, $1::text, encode(sha256(convert_to($1::text, 'UTF8')), 'hex')) RETURNING id`, [key]);
try {
  for (const [table, insert] of Object.entries(KINDS)) {
    await client.query(`VACUUM ANALYZE ${table}`);
    const before = await size(table);
    await client.query(insert, table === 'idempotency_keys' ? [project.id, rows, GROUP_ANSWER] : [project.id, rows]);
    await client.query(`VACUUM ANALYZE ${table}`);
    const bytesPerRow = (await size(table) - before) / rows;
    // A million rows of B bytes each are B MB (10^6 bytes).
    console.log(JSON.stringify({ table, rows, bytesPerRow: Math.round(bytesPerRow), mbPerMillionRows: Math.round(bytesPerRow) }));
  }
} finally {
  await client.query(`DELETE FROM projects WHERE id = $1`, [project.id]);
  await client.end();
}
