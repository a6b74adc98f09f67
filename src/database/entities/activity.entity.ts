import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ACTIVITY_SOURCES = ['api', 'ingest', 'jira', 'resync', 'worker'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

@Entity({ name: 'activity' })
export class ActivityEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  fingerprint: string | null;

  @Column({ type: 'varchar', length: 64 })
  kind: string;

  @Column({ type: 'varchar', length: 16 })
  source: ActivitySource;

  @Column({ type: 'text' })
  detail: string;

  /** Structured extras (Jira's error body, a rejected webhook payload…). */
  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
