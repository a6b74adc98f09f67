// Retention: the scheduled pruning job against rows aged with SQL. Old rows go, recent ones stay, domain
// rows and unfinished or failed jobs are never touched, and a webhook replayed after its dedupe record was
// pruned is still recognised as stale by its timestamp.
import { MetricsService } from '@app/common/metrics/metrics.service';
import { simulatorsPerTest } from '../support/jira';
import { activity, connectSync, getGroup, linkedGroups, settleWebhooks, waitOutboxIdle } from '../support/sync';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';

const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'In Progress', state: 'in-progress', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
];

describe('Retention (pruning job)', () => {
  let app: TestApp;
  const sim = simulatorsPerTest();

  beforeAll(async () => {
    // A run every second: the specs age rows and wait for the scheduled job to prune them.
    app = await startTestApp({ env: { PRUNE_INTERVAL_SECONDS: '1', RETENTION_DAYS: '30', JOB_RETENTION_DAYS: '7' } });
  });
  afterAll(async () => {
    await app.stop();
  });

  const count = async (sql: string): Promise<number> => Number((await app.dataSource.query(`SELECT count(*) AS n FROM ${sql}`))[0].n);
  const exec = (sql: string) => app.dataSource.query(sql);
  const prunedCount = async (table: string): Promise<number> =>
    (await app.service.app.get(MetricsService).rowsPruned.get()).values.find((v) => v.labels.table === table)?.value ?? 0;

  it('deletes what is past its window and keeps recent rows, domain rows, and unfinished or failed jobs', async () => {
    const { key, ingestToken } = await createProject(app);
    const pid = await projectIdOf(app, key);
    await app.http().post(`/api/v1/projects/${key}/groups`).set('Authorization', `Bearer ${ingestToken}`).send({ fingerprint: 'kept', title: 'Kept' }).expect(201);
    const [{ id: groupId }] = await exec(`SELECT id FROM error_groups WHERE project_id = ${pid}`);
    // Domain rows as old as can be: never pruned.
    await exec(`UPDATE projects SET created_at = now() - interval '400 days' WHERE id = ${pid}`);
    await exec(`UPDATE error_groups SET created_at = now() - interval '400 days', first_seen = now() - interval '400 days',
                last_seen = now() - interval '400 days' WHERE project_id = ${pid}`);
    // A second project whose webhook apply job failed: its waiting events stay for a retry.
    const other = await projectIdOf(app, (await createProject(app)).key);
    const activityBefore = await count(`activity WHERE project_id = ${pid}`);
    const ago = (days: number) => `now() - interval '${days} days'`;

    // Activity is pruned project by project: old entries of each go, also of a project deleted while an entry of
    // it was being written (activity has no foreign key; such an entry outlives its project).
    const [{ orphan }] = await exec(`SELECT max(id) + 1000 AS orphan FROM projects`);
    await exec(`INSERT INTO activity (project_id, kind, source, detail, at)
                SELECT ${pid}, 'test.old', 'api', 'old ' || n, ${ago(31)} FROM generate_series(1, 50) n
                UNION ALL SELECT ${pid}, 'test.recent', 'api', 'recent ' || n, ${ago(29)} FROM generate_series(1, 5) n
                UNION ALL SELECT ${other}, 'test.old', 'api', 'old ' || n, ${ago(31)} FROM generate_series(1, 7) n
                UNION ALL SELECT ${orphan}, 'test.old', 'api', 'old ' || n, ${ago(31)} FROM generate_series(1, 7) n
                UNION ALL SELECT ${orphan}, 'test.recent', 'api', 'recent', ${ago(29)}`);
    await exec(`INSERT INTO webhook_deliveries (project_id, dedupe_key, body_sha256, received_at)
                SELECT ${pid}, 'old-' || n, sha256(('old-' || n)::bytea), ${ago(31)} FROM generate_series(1, 50) n
                UNION ALL SELECT ${pid}, 'recent-' || n, sha256(('recent-' || n)::bytea), ${ago(29)} FROM generate_series(1, 5) n`);
    await exec(`INSERT INTO webhook_deliveries (project_id, dedupe_key, body_sha256, received_at)
                SELECT ${other}, 'only-old-' || n, sha256(('only-old-' || n)::bytea), ${ago(40)} + n * interval '1 hour' FROM generate_series(1, 3) n`);
    await exec(`INSERT INTO webhook_events (project_id, issue_id, change, received_at)
                SELECT ${pid}, 'old', '{}'::jsonb, ${ago(31)} FROM generate_series(1, 5)
                UNION ALL SELECT ${pid}, 'recent', '{}'::jsonb, ${ago(29)} FROM generate_series(1, 5)
                UNION ALL SELECT ${other}, 'waiting-for-retry', '{}'::jsonb, ${ago(31)} FROM generate_series(1, 5)`);
    await exec(`INSERT INTO outbox (project_id, kind, payload, status, created_at, available_at, finished_at)
                SELECT ${pid}, 'jira.sync', jsonb_build_object('groupId', '${groupId}'), 'done', ${ago(9)}, ${ago(9)}, ${ago(8)} FROM generate_series(1, 20)
                UNION ALL SELECT ${pid}, 'jira.sync', jsonb_build_object('groupId', '${groupId}'), 'done', ${ago(7)}, ${ago(7)}, ${ago(6)} FROM generate_series(1, 5)
                UNION ALL SELECT ${pid}, 'jira.sync', jsonb_build_object('groupId', '${groupId}'), 'pending', ${ago(400)}, now() + interval '30 days', NULL FROM generate_series(1, 3)
                UNION ALL SELECT ${pid}, 'jira.sync', jsonb_build_object('groupId', '${groupId}'), 'failed', ${ago(400)}, ${ago(400)}, ${ago(400)} FROM generate_series(1, 3)
                UNION ALL SELECT ${other}, 'jira.webhook', jsonb_build_object('projectId', '${other}'), 'failed', ${ago(400)}, ${ago(400)}, ${ago(400)}`);
    await exec(`INSERT INTO idempotency_keys (project_id, key, body_hash, status_code, response, created_at)
                SELECT ${pid}, 'old-' || n, repeat('a', 64), 201, 'null'::jsonb, ${ago(8)} FROM generate_series(1, 20) n
                UNION ALL SELECT ${pid}, 'recent-' || n, repeat('a', 64), 201, 'null'::jsonb, ${ago(6)} FROM generate_series(1, 5) n`);
    await exec(`INSERT INTO ui_sessions (id_hash, csrf_token, admin_digest, expires_at)
                SELECT 'retention-expired-' || n, 'c', 'd', now() - interval '1 hour' FROM generate_series(1, 3) n
                UNION ALL SELECT 'retention-valid', 'c', 'd', now() + interval '1 hour'`);
    await exec(`INSERT INTO sign_in_failures (address, failures, window_ends_at)
                SELECT 'retention-ended-' || n, 3, now() - interval '2 minutes' FROM generate_series(1, 3) n
                UNION ALL SELECT 'retention-current', 1, now() + interval '1 minute'`);
    await exec(`INSERT INTO group_occurrences (group_id, bucket_start, count)
                VALUES (${groupId}, date_trunc('minute', ${ago(8)}), 4), (${groupId}, date_trunc('minute', now()), 1)`);
    await exec(`INSERT INTO group_hourly_counts (group_id, hour, count)
                VALUES (${groupId}, date_trunc('hour', ${ago(31)}), 4), (${groupId}, date_trunc('hour', ${ago(2)}), 2)`);

    await eventually(async () => (await count(`activity WHERE project_id IN (${pid}, ${other}, ${orphan}) AND kind = 'test.old'`)) === 0
      && (await count(`webhook_deliveries WHERE dedupe_key LIKE 'old-%' AND project_id = ${pid}`)) === 0
      && (await count(`outbox WHERE project_id = ${pid} AND status = 'done'`)) === 5
      && (await count(`idempotency_keys WHERE project_id = ${pid}`)) === 5
      && (await count(`webhook_events WHERE project_id = ${pid}`)) === 5
      && (await count(`ui_sessions WHERE id_hash LIKE 'retention-%'`)) === 1
      && (await count(`sign_in_failures WHERE address LIKE 'retention-%'`)) === 1
      && (await count(`group_occurrences WHERE group_id = ${groupId}`)) === 1
      && (await count(`group_hourly_counts WHERE group_id = ${groupId} AND hour < now() - interval '30 days'`)) === 0, 15_000);

    // Recent rows stay.
    expect(await count(`activity WHERE project_id = ${pid}`)).toBe(activityBefore + 5);
    expect(await exec(`SELECT detail FROM activity WHERE project_id = ${orphan}`)).toEqual([{ detail: 'recent' }]);
    expect(await count(`webhook_deliveries WHERE project_id = ${pid}`)).toBe(5);
    // A project whose deliveries are all old keeps its latest record: when the webhook last delivered.
    expect(await exec(`SELECT dedupe_key FROM webhook_deliveries WHERE project_id = ${other}`)).toEqual([{ dedupe_key: 'only-old-3' }]);
    expect(await exec(`SELECT DISTINCT issue_id FROM webhook_events WHERE project_id IN (${pid}, ${other}) ORDER BY issue_id`)).toEqual([
      { issue_id: 'recent' }, { issue_id: 'waiting-for-retry' },
    ]);
    expect(await count(`webhook_events WHERE project_id = ${other}`)).toBe(5);
    expect(await count(`ui_sessions WHERE id_hash = 'retention-valid'`)).toBe(1);
    expect(await count(`sign_in_failures WHERE address = 'retention-current'`)).toBe(1);
    expect(await count(`group_hourly_counts WHERE group_id = ${groupId} AND hour = date_trunc('hour', ${ago(2)})`)).toBe(1);
    // Unfinished and failed jobs, and the domain rows, are untouched.
    expect(await count(`outbox WHERE project_id = ${pid} AND status = 'pending'`)).toBe(3);
    expect(await count(`outbox WHERE project_id = ${pid} AND status = 'failed'`)).toBe(3);
    expect(await count(`outbox WHERE project_id = ${other} AND status = 'failed'`)).toBe(1);
    expect(await count(`projects WHERE id = ${pid}`)).toBe(1);
    expect(await count(`error_groups WHERE project_id = ${pid}`)).toBe(1);
    await app.admin('get', `/api/v1/projects/${key}/groups/kept`).expect(200);
    // Counted by table.
    expect(await prunedCount('activity')).toBeGreaterThanOrEqual(64);
    expect(await prunedCount('webhook_deliveries')).toBeGreaterThanOrEqual(50);
    expect(await prunedCount('outbox')).toBeGreaterThanOrEqual(20);
    expect(await prunedCount('idempotency_keys')).toBeGreaterThanOrEqual(20);
    expect(await prunedCount('webhook_events')).toBeGreaterThanOrEqual(5);
    expect(await prunedCount('group_hourly_counts')).toBeGreaterThanOrEqual(1);
  });

  it('still ignores an old event replayed after its dedupe record was pruned: its timestamp is older than the applied one', async () => {
    const s = await sim('cloud', 'manual');
    const p = await connectSync(app, s, { statusMapping: STATUS_MAPPING });
    const key0 = (await linkedGroups(app, p.key, s, ['fp-0'])).get('fp-0')!;
    s.pendingWebhooks.splice(0);
    await settleWebhooks(app, s, p.projectId);

    s.transition(key0, 'In Progress');
    s.transition(key0, 'Done');
    const [older, newer] = s.pendingWebhooks.splice(0);
    expect(older.timestamp).toBeLessThan(newer.timestamp);
    expect(await s.deliver(older)).toEqual([202]);
    expect(await s.deliver(newer)).toEqual([202]);
    await waitOutboxIdle(app, p.projectId);
    expect(await getGroup(app, p.key, 'fp-0')).toMatchObject({ state: 'resolved', ticket: { status: 'Done' } });
    const applied = (await activity(app, p.key, { fingerprint: 'fp-0', kind: 'state.changed', source: 'jira' })).length;
    expect(await s.deliver(older)).toEqual([202]); // a duplicate while its record is kept
    expect(await count(`webhook_deliveries WHERE project_id = ${p.projectId}`)).toBe(2);

    // The records age past the window and are pruned, but for the project's latest (the webhook's last delivery).
    await exec(`UPDATE webhook_deliveries SET received_at = received_at - interval '31 days' WHERE project_id = ${p.projectId}`);
    await eventually(async () => (await count(`webhook_deliveries WHERE project_id = ${p.projectId}`)) === 1, 15_000);
    const [{ last }] = await exec(`SELECT max(received_at) AS last FROM webhook_deliveries WHERE project_id = ${p.projectId}`);
    const health = (await app.admin('get', `/api/v1/projects/${p.key}/integrations/jira`).expect(200)).body.webhook;
    expect(new Date(health.lastDeliveryAt).getTime()).toBe(new Date(last).getTime());

    // The replay is new to the dedupe (accepted), and applying it changes nothing: the issue's last event is newer.
    const replay = await s.deliver(older);
    expect(replay).toEqual([202]);
    expect(await count(`webhook_deliveries WHERE project_id = ${p.projectId}`)).toBe(2);
    await waitOutboxIdle(app, p.projectId);
    expect(await getGroup(app, p.key, 'fp-0')).toMatchObject({ state: 'resolved', ticket: { status: 'Done' } });
    expect(await activity(app, p.key, { fingerprint: 'fp-0', kind: 'state.changed', source: 'jira' })).toHaveLength(applied);
  });
});
