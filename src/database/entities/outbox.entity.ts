import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * pending → (queued, with Bull) → processing → done | failed.
 * A processing row whose lock expired (worker crashed) is claimable again.
 */
export type OutboxStatus = 'pending' | 'queued' | 'processing' | 'done' | 'failed';

@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'project_id', type: 'bigint', nullable: true })
  projectId: string | null;

  @Column({ type: 'varchar', length: 64 })
  kind: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** At most one unfinished row per key (e.g. one ticket creation per group). */
  @Column({ name: 'dedupe_key', type: 'text', nullable: true })
  dedupeKey: string | null;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'available_at', type: 'timestamptz', default: () => 'now()' })
  availableAt: Date;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt: Date | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Set while the row waits for a cause to clear (e.g. 'jira-credentials'); such waits cost no attempt. */
  @Column({ name: 'waiting_for', type: 'varchar', length: 32, nullable: true })
  waitingFor: string | null;

  /** Set when a wake for that cause came while the row was processing, so a job ending in that wait is due at once. */
  @Column({ name: 'woken_for', type: 'varchar', length: 32, nullable: true })
  wokenFor: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
