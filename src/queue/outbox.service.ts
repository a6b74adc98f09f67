import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobKind } from './job-kinds';
import { NewJob } from './job-types';

type Kick = () => void;

/**
 * Writes side effects as outbox rows inside the caller's transaction; after the
 * commit, `kick()` wakes the relay so the job starts without waiting for a poll.
 */
@Injectable()
export class OutboxService {
  private kickListener: Kick = () => undefined;

  async enqueue<K extends JobKind>(m: EntityManager, job: NewJob<K>): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO outbox (project_id, kind, payload, dedupe_key, available_at)
       VALUES ($1, $2, $3, $4, now() + ($5::int * interval '1 millisecond'))
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'queued', 'processing') DO NOTHING
       RETURNING id`,
      [job.projectId ?? null, job.kind, JSON.stringify(job.payload), job.dedupeKey ?? null, job.delayMs ?? 0],
    );
    return rows[0]?.id ?? null;
  }

  /** Many rows in one statement (ingestion batches). */
  async enqueueMany(m: EntityManager, jobs: NewJob[]): Promise<number> {
    if (jobs.length === 0) return 0;
    const rows = jobs.map((j) => ({ project_id: j.projectId ?? null, kind: j.kind, payload: j.payload, dedupe_key: j.dedupeKey ?? null }));
    const inserted: unknown[] = await m.query(
      `INSERT INTO outbox (project_id, kind, payload, dedupe_key)
       SELECT r.project_id, r.kind, r.payload, r.dedupe_key
         FROM jsonb_to_recordset($1::jsonb) AS r(project_id bigint, kind text, payload jsonb, dedupe_key text)
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'queued', 'processing') DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    return inserted.length;
  }

  kick(): void {
    this.kickListener();
  }

  onKick(listener: Kick): void {
    this.kickListener = listener;
  }
}
