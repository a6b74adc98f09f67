import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The webhook the bridge registered in Jira for a project's integration. */
export interface JiraWebhookRegistration {
  jiraId: string;
  self: string;
  /** Identifies what was registered (URL, events, filter, secret) without holding the secret. */
  fingerprint: string;
  registeredAt: Date;
}

/** A project's webhook health: the registration, its deliveries, and the reconciliation streak. */
export interface JiraWebhookHealthRow {
  projectId: string;
  projectKey: string;
  registration: JiraWebhookRegistration | null;
  lastDeliveryAt: Date | null;
  deliveries24h: number;
  /** Reconciliations in a row that found changes while no delivery had arrived since the one before. */
  unexplainedResyncs: number;
  /** When that streak began. */
  unexplainedSince: Date | null;
}

const HEALTH = `
SELECT i.project_id::text AS "projectId", p.key AS "projectKey",
       w.jira_id AS "jiraId", w.self AS "self", w.fingerprint AS "fingerprint", w.registered_at AS "registeredAt",
       COALESCE(w.unexplained_resyncs, 0) AS "unexplainedResyncs", w.unexplained_since AS "unexplainedSince",
       (SELECT max(d.received_at) FROM webhook_deliveries d WHERE d.project_id = i.project_id) AS "lastDeliveryAt",
       (SELECT count(*) FROM webhook_deliveries d WHERE d.project_id = i.project_id AND d.received_at > now() - interval '24 hours')::int AS "deliveries24h"
  FROM jira_integrations i JOIN projects p ON p.id = i.project_id LEFT JOIN jira_webhooks w ON w.project_id = i.project_id`;

type HealthSqlRow = Omit<JiraWebhookHealthRow, 'registration'> & { jiraId: string | null; self: string | null; fingerprint: string | null; registeredAt: Date | null };

/** jira_webhooks, one row per integration at most (it goes with the integration), and the delivery figures of webhook_deliveries. */
@Injectable()
export class JiraWebhookRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findRegistration(projectId: string, m: EntityManager = this.dataSource.manager): Promise<JiraWebhookRegistration | null> {
    const rows: Array<{ jira_id: string | null; self: string; fingerprint: string; registered_at: Date }> = await m.query(
      `SELECT jira_id, self, fingerprint, registered_at FROM jira_webhooks WHERE project_id = $1`,
      [projectId],
    );
    const r = rows[0];
    return r?.jira_id ? { jiraId: r.jira_id, self: r.self, fingerprint: r.fingerprint, registeredAt: new Date(r.registered_at) } : null;
  }

  /** Stores what was registered, and gives the new webhook a clean reconciliation streak. No-op once the integration is gone. */
  async saveRegistration(projectId: string, r: Omit<JiraWebhookRegistration, 'registeredAt'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO jira_webhooks (project_id, jira_id, self, fingerprint, registered_at, unexplained_resyncs)
       SELECT $1, $2, $3, $4, now(), 0 FROM jira_integrations WHERE project_id = $1
       ON CONFLICT (project_id) DO UPDATE SET jira_id = $2, self = $3, fingerprint = $4, registered_at = now(),
         unexplained_resyncs = 0, unexplained_since = NULL`,
      [projectId, r.jiraId, r.self, r.fingerprint],
    );
  }

  async clearRegistration(projectId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE jira_webhooks SET jira_id = NULL, self = NULL, fingerprint = NULL, registered_at = NULL WHERE project_id = $1`,
      [projectId],
    );
  }

  /**
   * Counts a reconciliation: the streak grows when it changed something while no delivery arrived since
   * `previousRun` (null: ever), and starts again otherwise. Returns the new streak.
   */
  async recordResync(projectId: string, previousRun: Date | null, changed: number): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `WITH unexplained AS (
         SELECT $3::int > 0 AND NOT EXISTS (
           SELECT 1 FROM webhook_deliveries WHERE project_id = $1 AND ($2::timestamptz IS NULL OR received_at >= $2::timestamptz)
         ) AS yes
       )
       INSERT INTO jira_webhooks (project_id, unexplained_resyncs, unexplained_since)
       SELECT $1, CASE WHEN u.yes THEN 1 ELSE 0 END, CASE WHEN u.yes THEN now() END FROM unexplained u, jira_integrations i WHERE i.project_id = $1
       ON CONFLICT (project_id) DO UPDATE SET
         unexplained_resyncs = CASE WHEN EXCLUDED.unexplained_resyncs = 1 THEN jira_webhooks.unexplained_resyncs + 1 ELSE 0 END,
         unexplained_since = CASE WHEN EXCLUDED.unexplained_resyncs = 1 THEN COALESCE(jira_webhooks.unexplained_since, now()) END
       RETURNING unexplained_resyncs AS n`,
      [projectId, previousRun, changed],
    );
    return rows[0] ? Number(rows[0].n) : 0;
  }

  /** One project's health (null without an integration). */
  async health(projectId: string): Promise<JiraWebhookHealthRow | null> {
    const rows: HealthSqlRow[] = await this.dataSource.query(`${HEALTH} WHERE i.project_id = $1`, [projectId]);
    return rows[0] ? toHealth(rows[0]) : null;
  }

  /** Every integration's health (for /metrics). */
  async healthOfAll(): Promise<JiraWebhookHealthRow[]> {
    const rows: HealthSqlRow[] = await this.dataSource.query(HEALTH);
    return rows.map(toHealth);
  }
}

function toHealth(r: HealthSqlRow): JiraWebhookHealthRow {
  return {
    projectId: r.projectId,
    projectKey: r.projectKey,
    registration: r.jiraId ? { jiraId: r.jiraId, self: r.self ?? '', fingerprint: r.fingerprint ?? '', registeredAt: new Date(r.registeredAt!) } : null,
    lastDeliveryAt: r.lastDeliveryAt ? new Date(r.lastDeliveryAt) : null,
    deliveries24h: Number(r.deliveries24h),
    unexplainedResyncs: Number(r.unexplainedResyncs),
    unexplainedSince: r.unexplainedSince ? new Date(r.unexplainedSince) : null,
  };
}
