import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type GroupState = 'open' | 'in-progress' | 'resolved' | 'muted';
export const GROUP_STATES: GroupState[] = ['open', 'in-progress', 'resolved', 'muted'];

/** attribute name → value → count */
export type AttributeHistograms = Record<string, Record<string, number>>;

/**
 * The most attribute names a group's histograms hold, and values per name; reports fold the
 * rest. 100 values: trackers show a handful of top values, and versions, hosts and builds fit.
 */
export const MAX_ATTRIBUTES = 200;
export const MAX_VALUES_PER_ATTRIBUTE = 100;
/**
 * The most bytes a group's histograms take as PostgreSQL prints them (`attributes::text`): the
 * rarest values past it fold into "(other)". Every report rewrites the column, so its size is
 * what a report costs; 256 KiB is a few milliseconds to read, merge and write, and holds
 * thousands of typical values.
 */
export const MAX_ATTRIBUTES_BYTES = 256 * 1024;

export type TicketState = 'pending' | 'failed' | 'skipped';

export interface ResolvedUntil {
  attribute: string;
  version: string;
}

const bigintNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? 0 : Number(v)) };

@Entity({ name: 'error_groups' })
@Index('error_groups_project_fingerprint', ['projectId', 'fingerprint'], { unique: true })
export class ErrorGroupEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId: string;

  @Column({ type: 'varchar', length: 256 })
  fingerprint: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  callstack: string[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  classifiers: string[];

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  count: number;

  @Column({ name: 'first_seen', type: 'timestamptz' })
  firstSeen: Date;

  @Column({ name: 'last_seen', type: 'timestamptz' })
  lastSeen: Date;

  @Column({ type: 'text', nullable: true })
  link: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  attributes: AttributeHistograms;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  state: GroupState;

  @Column({ type: 'text', nullable: true })
  assignee: string | null;

  @Column({ name: 'resolved_until', type: 'jsonb', nullable: true })
  resolvedUntil: ResolvedUntil | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  regressions: number;

  /** The linked Jira issue (jira_issues.id); several groups may share one. */
  @Column({ name: 'ticket_ref', type: 'bigint', nullable: true })
  ticketRef: string | null;

  /** Ticket creation in flight ('pending'), given up ('failed'), or not attempted by rule ('skipped'). */
  @Column({ name: 'ticket_state', type: 'varchar', length: 16, nullable: true })
  ticketState: TicketState | null;

  /** When a create request was last sent to Jira; a retry looks for the issue it may have made. */
  @Column({ name: 'ticket_create_attempted_at', type: 'timestamptz', nullable: true })
  ticketCreateAttemptedAt: Date | null;

  /** Who sent that request: `job` (the group's ticket job) or `backfill:<run id>` (see tickets/creation/create-claim.ts). */
  @Column({ name: 'ticket_create_claim', type: 'text', nullable: true })
  ticketCreateClaim: string | null;

  /**
   * The route the ticket is created through (a route's name, or 'default'): recorded with the first create attempt,
   * kept with the created ticket. Null: none created here (not yet, linked by hand, or attempted before routes).
   */
  @Column({ name: 'ticket_route', type: 'text', nullable: true })
  ticketRoute: string | null;

  /** Last state/assignee change made here by a person; older Jira events do not override it. */
  @Column({ name: 'local_changed_at', type: 'timestamptz', nullable: true })
  localChangedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
