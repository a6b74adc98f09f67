import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface JiraAssignee {
  accountId?: string;
  name?: string;
  displayName?: string;
  emailAddress?: string;
}

/** A Jira issue linked to one or more groups of a project, with what we last saw of it. */
@Entity({ name: 'jira_issues' })
export class JiraIssueEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId: string;

  @Column({ name: 'issue_id', type: 'text' })
  issueId: string;

  @Column({ name: 'issue_key', type: 'text' })
  issueKey: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text', nullable: true })
  status: string | null;

  @Column({ name: 'status_category', type: 'text', nullable: true })
  statusCategory: string | null;

  @Column({ type: 'jsonb', nullable: true })
  assignee: JiraAssignee | null;

  @Column({ name: 'fix_versions', type: 'jsonb', default: () => `'[]'` })
  fixVersions: string[];

  /** Time of the last Jira change applied here; older events are ignored. */
  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
