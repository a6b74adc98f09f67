import { StatusRepository } from '@app/database/repositories/status.repository';
import { openRepositoryDatabase, RepositoryDatabase } from '../../support/repository-database';
import { SEEDED, seedStatus } from '../../support/status-seed';

describe('StatusRepository against the database', () => {
  let db: RepositoryDatabase;
  let status: StatusRepository;
  let projectId: string;
  let other: string;

  beforeAll(async () => {
    db = await openRepositoryDatabase();
    status = new StatusRepository(db.dataSource);
    const rows: Array<{ id: string }> = await db.dataSource.query(`INSERT INTO projects (key, name, ingest_token_hash) VALUES ('st-a', 'A', 'ha'), ('st-b', 'B', 'hb') RETURNING id`);
    [projectId, other] = rows.map((r) => String(r.id));
    await seedStatus(db.dataSource, projectId);
  }, 60_000);
  afterAll(() => db?.close());

  const sum = (rows: Array<{ count: number }>) => rows.reduce((a, r) => a + r.count, 0);

  it('counts a project\'s last 24 h by hour, by kind, from whole hours', async () => {
    const tickets = await status.activityPerHour(projectId, ['ticket.created', 'ticket.failed'], 24);
    expect(sum(tickets.filter((r) => r.kind === 'ticket.created'))).toBe(SEEDED.ticketsCreated);
    expect(sum(tickets.filter((r) => r.kind === 'ticket.failed'))).toBe(SEEDED.ticketsFailed);
    for (const r of tickets) expect(r.hour.getTime() % 3_600_000).toBe(0);
    expect(sum(await status.webhookDeliveriesPerHour(projectId, 24))).toBe(SEEDED.deliveries);
    const failed = await status.failedJobsPerHour(projectId, 24);
    expect(sum(failed)).toBe(SEEDED.failedJobs);
    expect(new Set(failed.map((r) => r.kind))).toEqual(new Set(['jira.sync', 'ticket.create']));
    expect(await status.activityPerHour(other, ['ticket.created'], 24)).toEqual([]);
  });

  it('reads the reconciliation runs from their activity entries', async () => {
    const runs = await status.resyncRuns(projectId, 24);
    expect(runs.map(({ read, changed, unlinked, skipped }) => ({ read, changed, unlinked, skipped }))).toEqual([
      { read: 10, changed: 3, unlinked: 1, skipped: 0 },
      { read: 12, changed: 2, unlinked: 0, skipped: 2 },
    ]);
  });

  it('reports the queue now and the age of the oldest due job, overall and per project', async () => {
    expect(await status.projectQueue(projectId)).toEqual({ due: 0, later: SEEDED.laterJobs, queued: 0, processing: 0, oldestDueSeconds: 0 });
    await db.dataSource.query(
      `INSERT INTO outbox (project_id, kind, payload, status, available_at) VALUES
         ($1::bigint, 'jira.sync', '{}', 'pending', now() - interval '90 seconds'),
         ($1::bigint, 'jira.sync', '{}', 'queued', now() - interval '30 seconds'),
         ($2::bigint, 'jira.sync', '{}', 'processing', now() - interval '1 hour')`,
      [other, projectId],
    );
    const q = await status.projectQueue(other);
    expect(q).toMatchObject({ due: 1, later: 0, queued: 1, processing: 0 });
    expect(q.oldestDueSeconds).toBeGreaterThanOrEqual(90);
    expect(q.oldestDueSeconds).toBeLessThan(150);
    // A running job is not waiting: the hour-old processing row does not count.
    const lag = await status.oldestDueJobAgeSeconds();
    expect(lag).toBeGreaterThanOrEqual(90);
    expect(lag).toBeLessThan(150);
  });

  it('reads the credentials state per integration', async () => {
    expect(await status.credentialsHealth(projectId)).toBeUndefined();
    await db.dataSource.query(
      `INSERT INTO jira_integrations (project_id, api_url, auth_type, auth_secret_enc, webhook_secret_enc, settings, credentials_failing_since)
       VALUES ($1, 'https://jira.example/rest/api/2/', 'basic', 'x', 'y', '{}', now())`,
      [projectId],
    );
    expect((await status.credentialsHealth(projectId))!.failingSince).toBeInstanceOf(Date);
    expect(await status.credentialsHealthOfAll()).toEqual([{ projectKey: 'st-a', failingSince: expect.any(Date) }]);
  });
});
