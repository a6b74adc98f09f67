import { JiraSimulator } from '../jira-sim';
import { listGroups } from '../support/groups';
import { configureJira, issuesWithLabel, startSim } from '../support/jira';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';
import { testMode } from '../support/test-env';
import { ticketMarker } from '@app/modules/tickets/creation/marker';

const TIER_FIELD = 'customfield_10090';

type Run = { id: string; status: string; total: number; done: number; failed: number; skipped: number };

/** `n` unlinked groups fp-001… with counts 1…n, seeded in one statement. */
async function seedGroups(app: TestApp, key: string, n: number): Promise<string[]> {
  const projectId = await projectIdOf(app, key);
  await app.dataSource.query(
    `INSERT INTO error_groups (project_id, fingerprint, title, count, first_seen, last_seen)
     SELECT $1, 'fp-' || lpad(i::text, 3, '0'), 'Crash ' || i, i, now() - interval '1 day', now() FROM generate_series(1, $2::int) i`,
    [projectId, n],
  );
  return Array.from({ length: n }, (_, i) => `fp-${String(i + 1).padStart(3, '0')}`);
}

describe(`backfill (${testMode()})`, () => {
  let app: TestApp;
  let sim: JiraSimulator;
  const bulkPath = '/rest/api/2/issue/bulk';
  const bulkCalls = () => sim.requests.filter((r) => r.method === 'POST' && r.path === bulkPath);

  beforeAll(async () => {
    // Search lags behind creates, as on Jira Cloud: a retry after a lost answer must wait it out.
    sim = await startSim({ flavour: 'cloud', searchVisibilityDelayMs: 300 });
    sim.addField({
      id: TIER_FIELD, name: 'Tier', custom: true, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10090 },
      allowedValues: [{ id: '10901', value: 'Gold' }, { id: '10902', value: 'Bronze' }],
    });
    app = await startTestApp({ env: { JIRA_SEARCH_CONSISTENCY_SECONDS: '1' } });
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });
  beforeEach(() => {
    sim.faults.reset();
    sim.clearRequests();
  });

  async function runToEnd(key: string, body: object = {}): Promise<Run> {
    const started = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/backfill`).send(body).expect(202);
    return eventually(async () => {
      const res = await app.admin('get', `/api/v1/projects/${key}/integrations/jira/backfill/${started.body.id}`).expect(200);
      return res.body.status !== 'running' ? (res.body as Run) : undefined;
    }, 60_000, 100);
  }

  function expectOneIssueEach(key: string, fingerprints: string[]): void {
    const counts = fingerprints.map((fp) => issuesWithLabel(sim, ticketMarker(key, fp)).length);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
  }

  it('creates exactly one issue per group in bulk calls of at most 50, linked as the single path links them', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    const fps = await seedGroups(app, key, 120);
    const run = await runToEnd(key);
    expect(run).toMatchObject({ status: 'done', total: 120, done: 120, failed: 0, skipped: 0 });
    expectOneIssueEach(key, fps);
    const sizes = bulkCalls().map((r) => (r.body as { issueUpdates: unknown[] }).issueUpdates.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/2/issue')).toHaveLength(0);
    const groups = await listGroups(app, key);
    const sample = groups.find((g) => g.fingerprint === 'fp-007')!;
    const issue = sim.getIssue(sample.ticket!.key)!;
    expect(issue.fields.summary).toContain('Crash 7');
    expect(issue.fields.labels).toEqual(expect.arrayContaining(['crashbridge', ticketMarker(key, 'fp-007')]));
    expect(sample.ticket).toEqual({ key: issue.key, id: issue.id, url: `${sim.baseUrl}/browse/${issue.key}`, status: 'To Do', statusCategory: 'new', route: 'default' });
    expect(groups.every((g) => g.ticket)).toBe(true);
    const log = await app.admin('get', `/api/v1/projects/${key}/activity?kind=backfill.done`).expect(200);
    expect(log.body.map((e: { detail: string }) => e.detail)).toEqual(['Backfill done: 120 created, 0 failed, 0 skipped of 120']);
    const created = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=fp-007&kind=ticket.created`).expect(200);
    expect(created.body[0].detail).toBe(`Created Jira issue ${issue.key}`);
  });

  it('takes only the groups the filter names, most occurrences first, and none that already has an issue', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    await seedGroups(app, key, 30);
    const run = await runToEnd(key, { minCount: 11, q: 'crash', limit: 5 });
    expect(run).toMatchObject({ status: 'done', total: 5, done: 5 });
    const linked = (await listGroups(app, key)).filter((g) => g.ticket).map((g) => g.fingerprint).sort();
    expect(linked).toEqual(['fp-026', 'fp-027', 'fp-028', 'fp-029', 'fp-030']);
    const again = await runToEnd(key, { minCount: 26 });
    expect(again).toMatchObject({ status: 'done', total: 0, done: 0 });
  });

  it('an element Jira refuses fails its group only; the rest of the call is created and linked', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { customFields: [{ field: TIER_FIELD, value: '$tier' }] });
    const projectId = await projectIdOf(app, key);
    await app.dataSource.query(
      `INSERT INTO error_groups (project_id, fingerprint, title, count, first_seen, last_seen, attributes)
       SELECT $1, 'tier-' || i, 'Crash ' || i, 100 - i, now(), now(), jsonb_build_object('tier', jsonb_build_object(CASE WHEN i % 2 = 0 THEN 'Gold' ELSE 'Bronze' END, 1))
         FROM generate_series(0, 9) i`,
      [projectId],
    );
    // The first backfill reads the create screen (Bronze still offered); Jira then disables Bronze before the second.
    expect(await runToEnd(key, { limit: 1 })).toMatchObject({ status: 'done', done: 1 });
    sim.disableOption(TIER_FIELD, 'Bronze');
    try {
      const run = await runToEnd(key);
      expect(run).toMatchObject({ status: 'done', total: 9, done: 4, failed: 5 });
      const answer = bulkCalls().at(-1)!;
      expect(answer.status).toBe(201);
      expect((answer.body as { issueUpdates: unknown[] }).issueUpdates).toHaveLength(9); // refused by Jira, per element, not before sending
      const groups = await listGroups(app, key);
      expect(groups.filter((g) => g.ticket).map((g) => g.fingerprint).sort()).toEqual(['tier-0', 'tier-2', 'tier-4', 'tier-6', 'tier-8']);
      const failed = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=tier-1&kind=ticket.failed`).expect(200);
      expect(failed.body[0].detail).toContain(TIER_FIELD);
      const states: Array<{ n: number }> = await app.dataSource.query(
        `SELECT count(*)::int AS n FROM error_groups WHERE project_id = $1 AND ticket_state = 'failed' AND ticket_create_attempted_at IS NULL`, [projectId]);
      expect(states[0].n).toBe(5);
    } finally {
      sim.disableOption(TIER_FIELD, 'Bronze', false);
    }
  });

  it('a bulk create whose answer is lost creates no duplicate on retry', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    const fps = await seedGroups(app, key, 60);
    sim.faults.dropCreateResponses(1);
    const run = await runToEnd(key);
    expect(run).toMatchObject({ status: 'done', total: 60, done: 60, failed: 0 });
    expect(bulkCalls()[0].status).toBe(0); // the first answer was lost
    expectOneIssueEach(key, fps);
    expect(sim.listIssues().filter((i) => (i.fields.labels as string[]).some((l) => fps.some((fp) => l === ticketMarker(key, fp))))).toHaveLength(60);
  });

  it('honours Retry-After on a 429', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    const fps = await seedGroups(app, key, 60);
    // One create call a second, this second's already spent: the run's first bulk call comes too soon and is
    // answered 429, Retry-After: 1 (however long linking a batch takes on a loaded machine).
    sim.faults.rateLimitPerSecond(1, 1);
    expect(sim.faults.takeCreate()).toBeUndefined();
    const run = await runToEnd(key);
    expect(run).toMatchObject({ status: 'done', done: 60 });
    const calls = bulkCalls();
    const refused = calls.findIndex((r) => r.status === 429);
    expect(refused).toBeGreaterThanOrEqual(0);
    expect(calls[refused + 1].at - calls[refused].at).toBeGreaterThanOrEqual(900);
    expectOneIssueEach(key, fps);
  });

  it('409 while one runs, cancel stops it, 404 for an unknown id', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    await seedGroups(app, key, 150);
    sim.faults.latency(400);
    const started = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/backfill`).send({}).expect(202);
    expect(started.body).toMatchObject({ status: 'running', total: 150, done: 0, failed: 0 });
    const second = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/backfill`).send({}).expect(409);
    expect(second.body.code).toBe('RUN_ALREADY_RUNNING');
    const cancelled = await app.admin('delete', `/api/v1/projects/${key}/integrations/jira/backfill/${started.body.id}`).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    sim.faults.latency(0);
    // The job stops before its next batch: the count stops growing at one batch at most.
    const final = await eventually(async () => {
      const before = sim.listIssues().length;
      await new Promise((r) => setTimeout(r, 500));
      return sim.listIssues().length === before ? (await app.admin('get', `/api/v1/projects/${key}/integrations/jira/backfill/${started.body.id}`).expect(200)).body : undefined;
    }, 20_000, 0);
    expect(final.status).toBe('cancelled');
    expect(final.done).toBeLessThanOrEqual(50);
    const pending: Array<{ n: number }> = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM error_groups WHERE project_id = $1 AND ticket_state = 'pending'`, [await projectIdOf(app, key)]);
    expect(pending[0].n).toBe(0);
    await app.admin('get', `/api/v1/projects/${key}/integrations/jira/backfill/999999`).expect(404);
    await app.admin('get', `/api/v1/projects/${key}/integrations/jira/backfill/not-a-number`).expect(404);
    await app.admin('delete', `/api/v1/projects/${key}/integrations/jira/backfill/999999`).expect(404);
    await app.admin('post', `/api/v1/projects/${key}/integrations/jira/backfill`).send({ limit: 0 }).expect(400);
  });
});
