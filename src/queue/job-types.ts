import { EntityManager } from 'typeorm';
import { JobKind, JobPayloads } from './job-kinds';

export interface JobContext {
  outboxId: string;
  projectId: string | null;
  /** 1 on the first run. */
  attempt: number;
  /** True when a failure now fails the job for good; handlers record why first. */
  isLastAttempt: boolean;
  /**
   * Marks the row done in the same transaction as fn's writes, so a job whose
   * effects are all in the database takes effect exactly once.
   */
  complete(fn: (m: EntityManager) => Promise<void>): Promise<void>;
  /**
   * Gives up for good, in the same transaction as fn's writes (e.g. the group marked failed):
   * the row is failed with `error` as its last error, listed among the project's failures and
   * retryable from there once the cause is fixed.
   */
  fail(error: string, fn: (m: EntityManager) => Promise<void>): Promise<void>;
  /**
   * Gives up the job's dedupe key while it keeps running: from now on, an enqueue with
   * the same key queues a new job instead of counting on this one.
   */
  releaseDedupe(): Promise<void>;
}

/**
 * What a @JobHandler(kind) class provides. `handle` is a property, not a method, so the
 * compiler checks its payload parameter strictly against the kind's payload.
 */
export interface HandlesJob<K extends JobKind> {
  handle: (payload: JobPayloads[K], ctx: JobContext) => Promise<void>;
}

export interface NewJob<K extends JobKind = JobKind> {
  kind: K;
  payload: JobPayloads[K];
  projectId?: string | null;
  /** At most one unfinished job per key; a second enqueue is a no-op. */
  dedupeKey?: string;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
}
