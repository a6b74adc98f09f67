import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One hour of a project's last 24 h (`hour`: the start of the hour, in UTC whatever the session's time zone), with a count per kind. */
export interface HourlyCount {
  hour: Date;
  kind: string;
  count: number;
}

/** One reconciliation run, from its `resync.completed` activity entry. */
export interface ResyncRun {
  at: Date;
  read: number;
  changed: number;
  unlinked: number;
  skipped: number;
}

/** A project's unfinished jobs now; `oldestDueSeconds`: how long the oldest due one has waited (0: none). */
export interface ProjectQueueNow {
  due: number;
  later: number;
  queued: number;
  processing: number;
  oldestDueSeconds: number;
}

/** Whether Jira refuses a project's stored credentials (for /metrics, per project with an integration). */
export interface CredentialsHealthRow {
  projectKey: string;
  failingSince: Date | null;
}

// A job is due when it may run now: pending and available, or handed to the queue and not started.
const DUE = `status IN ('pending', 'queued') AND available_at <= now()`;

const toHourly = (rows: Array<{ hour: Date | string; kind: string; n: number | string }>): HourlyCount[] =>
  rows.map((r) => ({ hour: new Date(r.hour), kind: r.kind, count: Number(r.n) }));

/**
 * Read-only figures for /metrics and the project status page, across the outbox, activity,
 * webhook deliveries and integrations: counts by hour over the last `hours`, and the queue now.
 */
@Injectable()
export class StatusRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Age in seconds of the oldest due outbox job of any project (0: none is due). */
  async oldestDueJobAgeSeconds(): Promise<number> {
    const [row]: Array<{ age: number | string }> = await this.dataSource.query(
      `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(available_at)), 0)::float8 AS age FROM outbox WHERE ${DUE}`,
    );
    return Math.max(0, Number(row.age));
  }

  /** Every integration's credentials state, by project key. */
  async credentialsHealthOfAll(): Promise<CredentialsHealthRow[]> {
    const rows: Array<{ key: string; since: Date | null }> = await this.dataSource.query(
      `SELECT p.key, i.credentials_failing_since AS since FROM jira_integrations i JOIN projects p ON p.id = i.project_id ORDER BY p.key`,
    );
    return rows.map((r) => ({ projectKey: r.key, failingSince: r.since ? new Date(r.since) : null }));
  }

  /** The project's activity entries of these kinds per hour (kind: the entry's kind). */
  async activityPerHour(projectId: string, kinds: string[], hours: number): Promise<HourlyCount[]> {
    return toHourly(
      await this.dataSource.query(
        `SELECT to_timestamp(floor(extract(epoch FROM at) / 3600) * 3600) AS hour, kind, count(*)::int AS n FROM activity
          WHERE project_id = $1 AND kind = ANY($2::text[]) AND at > now() - ($3::int * interval '1 hour')
          GROUP BY 1, 2 ORDER BY 1`,
        [projectId, kinds, hours],
      ),
    );
  }

  /** The project's accepted Jira webhook deliveries per hour (kind: `delivery`). */
  async webhookDeliveriesPerHour(projectId: string, hours: number): Promise<HourlyCount[]> {
    return toHourly(
      await this.dataSource.query(
        `SELECT to_timestamp(floor(extract(epoch FROM received_at) / 3600) * 3600) AS hour, 'delivery' AS kind, count(*)::int AS n FROM webhook_deliveries
          WHERE project_id = $1 AND received_at > now() - ($2::int * interval '1 hour')
          GROUP BY 1 ORDER BY 1`,
        [projectId, hours],
      ),
    );
  }

  /** The project's jobs that failed for good per hour, by job kind. */
  async failedJobsPerHour(projectId: string, hours: number): Promise<HourlyCount[]> {
    return toHourly(
      await this.dataSource.query(
        `SELECT to_timestamp(floor(extract(epoch FROM finished_at) / 3600) * 3600) AS hour, kind, count(*)::int AS n FROM outbox
          WHERE project_id = $1 AND status = 'failed' AND finished_at > now() - ($2::int * interval '1 hour')
          GROUP BY 1, 2 ORDER BY 1`,
        [projectId, hours],
      ),
    );
  }

  /** The project's reconciliation runs in the last `hours`, oldest first. */
  async resyncRuns(projectId: string, hours: number): Promise<ResyncRun[]> {
    const rows: Array<{ at: Date; data: Record<string, unknown> | null }> = await this.dataSource.query(
      `SELECT at, data FROM activity
        WHERE project_id = $1 AND kind = 'resync.completed' AND at > now() - ($2::int * interval '1 hour')
        ORDER BY at, id`,
      [projectId, hours],
    );
    const n = (v: unknown) => (Number.isFinite(Number(v)) ? Number(v) : 0);
    return rows.map((r) => ({ at: new Date(r.at), read: n(r.data?.read), changed: n(r.data?.changed), unlinked: n(r.data?.unlinked), skipped: n(r.data?.skipped) }));
  }

  /** The project's unfinished jobs now, and how long the oldest due one has waited. */
  async projectQueue(projectId: string): Promise<ProjectQueueNow> {
    const [r]: Array<Record<string, number | string>> = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'pending' AND available_at <= now())::int AS due,
              count(*) FILTER (WHERE status = 'pending' AND available_at > now())::int AS later,
              count(*) FILTER (WHERE status = 'queued')::int AS queued,
              count(*) FILTER (WHERE status = 'processing')::int AS processing,
              COALESCE(EXTRACT(EPOCH FROM now() - min(available_at) FILTER (WHERE ${DUE})), 0)::float8 AS oldest
         FROM outbox WHERE project_id = $1 AND status IN ('pending', 'queued', 'processing')`,
      [projectId],
    );
    return { due: Number(r.due), later: Number(r.later), queued: Number(r.queued), processing: Number(r.processing), oldestDueSeconds: Math.max(0, Number(r.oldest)) };
  }

  /** The project's integration credentials: undefined without an integration, else since when Jira refuses them (null: it does not). */
  async credentialsHealth(projectId: string): Promise<{ failingSince: Date | null } | undefined> {
    const [row]: Array<{ since: Date | null }> = await this.dataSource.query(
      `SELECT credentials_failing_since AS since FROM jira_integrations WHERE project_id = $1`,
      [projectId],
    );
    return row ? { failingSince: row.since ? new Date(row.since) : null } : undefined;
  }
}
