// A project's last 24 h written in bulk, for the status page specs: what the charts should count.
import { DataSource } from 'typeorm';

/** What `seedStatus` wrote within the last 24 h. */
export const SEEDED = { ticketsCreated: 24, ticketsFailed: 2, deliveries: 12, failedJobs: 6, resyncRuns: 2, resyncUpdates: 8, laterJobs: 3 } as const;

export async function seedStatus(ds: DataSource, projectId: string): Promise<void> {
  // One ticket an hour over the last 24 h, and two more 25 h ago (outside the window).
  await ds.query(
    `INSERT INTO activity (project_id, kind, source, detail, at)
     SELECT $1::bigint, 'ticket.created', 'worker', 'Created Jira issue', now() - g * interval '1 hour' FROM generate_series(0, 23) g
     UNION ALL SELECT $1::bigint, 'ticket.created', 'worker', 'Created Jira issue', now() - interval '25 hours' FROM generate_series(1, 2)
     UNION ALL SELECT $1::bigint, 'ticket.failed', 'worker', 'Ticket not created', now() - g * interval '3 hours' FROM generate_series(1, 2) g`,
    [projectId],
  );
  await ds.query(
    `INSERT INTO webhook_deliveries (project_id, dedupe_key, received_at)
     SELECT $1::bigint, 'seed-' || g, now() - g * interval '10 minutes' FROM generate_series(1, 12) g`,
    [projectId],
  );
  // Failed for good: they never run again, so the service leaves them alone. The later ones wait an hour.
  await ds.query(
    `INSERT INTO outbox (project_id, kind, payload, status, attempts, finished_at)
     SELECT $1::bigint, CASE WHEN g % 2 = 0 THEN 'jira.sync' ELSE 'ticket.create' END, '{}', 'failed', 5, now() - g * interval '30 minutes'
       FROM generate_series(0, 5) g`,
    [projectId],
  );
  await ds.query(
    `INSERT INTO outbox (project_id, kind, payload, available_at)
     SELECT $1::bigint, 'jira.resync', jsonb_build_object('projectId', $1::text), now() + interval '1 hour' FROM generate_series(1, 3)`,
    [projectId],
  );
  await ds.query(
    `INSERT INTO activity (project_id, kind, source, detail, data, at) VALUES
       ($1::bigint, 'resync.completed', 'resync', 'Reconciliation', '{"read": 10, "changed": 3, "unlinked": 1, "skipped": 0}', now() - interval '2 hours'),
       ($1::bigint, 'resync.completed', 'resync', 'Reconciliation', '{"read": 12, "changed": 2, "unlinked": 0, "skipped": 2}', now() - interval '1 hour')`,
    [projectId],
  );
}
