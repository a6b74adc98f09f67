import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
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

  constructor(private readonly rows: OutboxRepository) {}

  async enqueue<K extends JobKind>(m: EntityManager, job: NewJob<K>): Promise<string | null> {
    return this.rows.insert(m, { projectId: job.projectId ?? null, kind: job.kind, payload: job.payload, dedupeKey: job.dedupeKey ?? null, delayMs: job.delayMs ?? 0 });
  }

  /** Many rows in one statement (ingestion batches). */
  async enqueueMany(m: EntityManager, jobs: NewJob[]): Promise<number> {
    return this.rows.insertMany(m, jobs.map((j) => ({ projectId: j.projectId ?? null, kind: j.kind, payload: j.payload, dedupeKey: j.dedupeKey ?? null })));
  }

  kick(): void {
    this.kickListener();
  }

  onKick(listener: Kick): void {
    this.kickListener = listener;
  }
}
