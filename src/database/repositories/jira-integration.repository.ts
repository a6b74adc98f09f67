import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JiraIntegrationEntity } from '@app/database/entities';
import { returnedRows } from '@app/database/returned-rows';

/** A row of jira_integrations: one project's Jira connection (secrets encrypted) and settings. */
export type JiraIntegrationRow = JiraIntegrationEntity;

/** The encrypted columns of one row: every secret the service stores. */
export interface StoredSecrets {
  projectId: string;
  authSecretEnc: string;
  webhookSecretEnc: string;
}

/** An integration whose stored credentials Jira refuses. */
export interface FailingCredentials {
  projectId: string;
  projectKey: string;
  since: Date;
}

/** jira_integrations, one row per project. */
@Injectable()
export class JiraIntegrationRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByProject(projectId: string, m: EntityManager = this.dataSource.manager): Promise<JiraIntegrationRow | null> {
    return m.getRepository(JiraIntegrationEntity).findOne({ where: { projectId } });
  }

  /** The stored settings document alone (nothing to decrypt); with `lock`, the row is locked for the caller's transaction. */
  async findSettings(projectId: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<{ settings: Record<string, unknown> } | null> {
    const rows: Array<{ settings: Record<string, unknown> }> = await m.query(
      `SELECT settings FROM jira_integrations WHERE project_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [projectId],
    );
    return rows[0] ?? null;
  }

  /**
   * The project's id by key, its row locked for the transaction (null: no such project).
   * Every write to a project's integration takes this lock first, so two first PUTs cannot
   * both insert, and a PUT and a rotation cannot interleave. NO KEY UPDATE: ingestion's
   * foreign-key checks on the project (KEY SHARE) are not blocked.
   */
  async lockProjectByKey(m: EntityManager, key: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query('SELECT id FROM projects WHERE key = $1 FOR NO KEY UPDATE', [key]);
    return rows[0] ? String(rows[0].id) : null;
  }

  /** A new row, not saved yet. */
  create(fields: Partial<JiraIntegrationRow>): JiraIntegrationRow {
    return this.dataSource.getRepository(JiraIntegrationEntity).create(fields);
  }

  save(m: EntityManager, row: JiraIntegrationRow): Promise<JiraIntegrationRow> {
    return m.getRepository(JiraIntegrationEntity).save(row);
  }

  /** Returns whether there was a row to delete. */
  async deleteByProject(m: EntityManager, projectId: string): Promise<boolean> {
    const result = await m.getRepository(JiraIntegrationEntity).delete({ projectId });
    return !!result.affected;
  }

  /** Remembers the detected deployment type, so later clients skip /serverInfo. */
  async saveFlavour(projectId: string, flavour: 'cloud' | 'datacenter'): Promise<void> {
    await this.dataSource.query(`UPDATE jira_integrations SET flavour = $2 WHERE project_id = $1 AND flavour IS DISTINCT FROM $2`, [projectId, flavour]);
  }

  /** Projects whose integration is enabled (a setting that was never stored counts as enabled). */
  async enabledProjectIds(m: EntityManager): Promise<string[]> {
    const rows: Array<{ project_id: string }> = await m.query(`SELECT project_id FROM jira_integrations WHERE (settings->>'enabled')::boolean IS NOT FALSE`);
    return rows.map((r) => r.project_id);
  }

  async markResynced(projectId: string, startedAt: Date): Promise<void> {
    await this.dataSource.query(`UPDATE jira_integrations SET last_resync_at = $2 WHERE project_id = $1`, [projectId, startedAt]);
  }

  /**
   * Passes every row's encrypted secrets to `rewrite` and stores what it returns (null: keep
   * them), all in one transaction with the rows locked, so a concurrent settings PUT or
   * rotation waits instead of being overwritten. Returns how many rows changed.
   */
  async rewriteSecrets(rewrite: (row: StoredSecrets) => StoredSecrets | null): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: Array<{ project_id: string; auth_secret_enc: string; webhook_secret_enc: string }> = await m.query(
        `SELECT project_id, auth_secret_enc, webhook_secret_enc FROM jira_integrations ORDER BY project_id FOR UPDATE`,
      );
      let changed = 0;
      for (const r of rows) {
        const next = rewrite({ projectId: String(r.project_id), authSecretEnc: r.auth_secret_enc, webhookSecretEnc: r.webhook_secret_enc });
        if (!next) continue;
        await m.query(`UPDATE jira_integrations SET auth_secret_enc = $2, webhook_secret_enc = $3 WHERE project_id = $1`, [
          r.project_id, next.authSecretEnc, next.webhookSecretEnc,
        ]);
        changed++;
      }
      return changed;
    });
  }

  /**
   * Records that Jira refused the credentials of this revision (a later revision has new ones, so a late 401
   * of an old client changes nothing). Keeps the first failure's time and message. True when newly failing.
   */
  async markCredentialsFailing(projectId: string, revision: number, message: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE jira_integrations SET credentials_failing_since = now(), credentials_message = $3
        WHERE project_id = $1 AND revision = $2 AND credentials_failing_since IS NULL
        RETURNING project_id`,
      [projectId, revision, message.slice(0, 1000)],
    );
    return returnedRows(rows).length > 0;
  }

  /** The credentials work again (a new token, or a probe Jira accepted). True when they were failing. */
  async clearCredentialsFailing(m: EntityManager, projectId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `UPDATE jira_integrations SET credentials_failing_since = NULL, credentials_message = NULL
        WHERE project_id = $1 AND credentials_failing_since IS NOT NULL
        RETURNING project_id`,
      [projectId],
    );
    return returnedRows(rows).length > 0;
  }

  /** Whether Jira refuses the project's stored credentials (one primary-key read, before each Jira job). */
  async credentialsFailing(projectId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM jira_integrations WHERE project_id = $1 AND credentials_failing_since IS NOT NULL`,
      [projectId],
    );
    return rows.length > 0;
  }

  /** Every integration whose credentials Jira refuses, by project key. */
  async listFailingCredentials(): Promise<FailingCredentials[]> {
    const rows: Array<{ project_id: string; key: string; since: Date }> = await this.dataSource.query(
      `SELECT i.project_id, p.key, i.credentials_failing_since AS since
         FROM jira_integrations i JOIN projects p ON p.id = i.project_id
        WHERE i.credentials_failing_since IS NOT NULL
        ORDER BY p.key`,
    );
    return rows.map((r) => ({ projectId: String(r.project_id), projectKey: r.key, since: new Date(r.since) }));
  }

  /** Remembers the site's own web address (serverInfo.baseUrl) for this revision's apiUrl. */
  async saveSiteUrl(projectId: string, revision: number, siteUrl: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE jira_integrations SET site_url = $3 WHERE project_id = $1 AND revision = $2 AND site_url IS DISTINCT FROM $3`,
      [projectId, revision, siteUrl],
    );
  }
}
