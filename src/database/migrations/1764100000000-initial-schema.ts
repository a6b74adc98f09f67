import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projects (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key varchar(63) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        ingest_token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE error_groups (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        fingerprint varchar(256) NOT NULL,
        title text NOT NULL,
        callstack jsonb NOT NULL DEFAULT '[]',
        classifiers jsonb NOT NULL DEFAULT '[]',
        count bigint NOT NULL DEFAULT 0,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        link text,
        attributes jsonb NOT NULL DEFAULT '{}',
        state varchar(16) NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in-progress', 'resolved', 'muted')),
        assignee text,
        resolved_until jsonb,
        resolved_at timestamptz,
        regressions int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX error_groups_project_fingerprint ON error_groups (project_id, fingerprint)`);
    await q.query(`CREATE INDEX error_groups_project_last_seen ON error_groups (project_id, last_seen DESC, id DESC)`);
    await q.query(`CREATE INDEX error_groups_project_state_last_seen ON error_groups (project_id, state, last_seen DESC, id DESC)`);
    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id bigint REFERENCES projects(id) ON DELETE CASCADE,
        kind varchar(64) NOT NULL,
        payload jsonb NOT NULL,
        dedupe_key text,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'queued', 'processing', 'done', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL DEFAULT now(),
        queued_at timestamptz,
        locked_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    // Only unfinished rows are looked at by the relay; keep that index small.
    await q.query(`CREATE INDEX outbox_unfinished ON outbox (available_at, id) WHERE status IN ('pending', 'queued', 'processing')`);
    await q.query(`CREATE UNIQUE INDEX outbox_dedupe_unfinished ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'queued', 'processing')`);
    await q.query(`
      CREATE TABLE activity (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        fingerprint varchar(256),
        kind varchar(64) NOT NULL,
        source varchar(16) NOT NULL,
        detail text NOT NULL,
        data jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX activity_project_at ON activity (project_id, at DESC, id DESC)`);
    await q.query(`CREATE INDEX activity_project_fingerprint_at ON activity (project_id, fingerprint, at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        key varchar(255) NOT NULL,
        body_hash char(64) NOT NULL,
        status_code int NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
    await q.query('DROP TABLE activity');
    await q.query('DROP TABLE outbox');
    await q.query('DROP TABLE error_groups');
    await q.query('DROP TABLE projects');
  }
}
