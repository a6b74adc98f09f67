import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * One Jira integration per project. Secrets (API token or PAT, webhook secret)
 * are stored encrypted (SecretBox, AES-256-GCM); everything else is in `settings`.
 */
@Entity({ name: 'jira_integrations' })
export class JiraIntegrationEntity {
  @PrimaryColumn({ name: 'project_id', type: 'bigint' })
  projectId: string;

  @Column({ name: 'api_url', type: 'text' })
  apiUrl: string;

  @Column({ name: 'auth_type', type: 'varchar', length: 16 })
  authType: 'basic' | 'bearer';

  /** Email (Cloud) or username (Server/Data Center) for basic auth. */
  @Column({ name: 'auth_user', type: 'text', nullable: true })
  authUser: string | null;

  @Column({ name: 'auth_secret_enc', type: 'text' })
  authSecretEnc: string;

  @Column({ name: 'webhook_secret_enc', type: 'text' })
  webhookSecretEnc: string;

  @Column({ type: 'jsonb' })
  settings: Record<string, unknown>;

  /** Detected once from /serverInfo and cached. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  flavour: 'cloud' | 'datacenter' | null;

  @Column({ name: 'last_resync_at', type: 'timestamptz', nullable: true })
  lastResyncAt: Date | null;

  /** Since when Jira refuses the stored credentials (401); null while they work. */
  @Column({ name: 'credentials_failing_since', type: 'timestamptz', nullable: true })
  credentialsFailingSince: Date | null;

  @Column({ name: 'credentials_message', type: 'text', nullable: true })
  credentialsMessage: string | null;

  /** The site's own web address (serverInfo.baseUrl), for browse links; null: derived from apiUrl. */
  @Column({ name: 'site_url', type: 'text', nullable: true })
  siteUrl: string | null;

  /** Bumped on every change; caches keyed by it (clients, field metadata) go stale with it. */
  @Column({ type: 'int', default: 1 })
  revision: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
