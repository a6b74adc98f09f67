import { JiraSimulator } from '../jira-sim';
import { configureJira, issuesWithLabel, startSim } from '../support/jira';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';
import { testMode } from '../support/test-env';
import { TicketAttemptRepository } from '@app/database/repositories/ticket-attempt.repository';
import { ticketMarker } from '@app/modules/tickets/creation/marker';

type Row = Record<string, any>;

/** "Create ticket" pressed on groups a backfill holds: one creator at a time, so never a second issue. */
describe(`backfill and "Create ticket" on the same group (${testMode()})`, () => {
  let app: TestApp;
  let sim: JiraSimulator;

  beforeAll(async () => {
    // Data Center: search is consistent at once, so only the claim keeps a second creator from creating.
    sim = await startSim({ flavour: 'datacenter' });
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });
  beforeEach(() => sim.faults.reset());

  async function seed(key: string, n: number): Promise<string[]> {
    await app.dataSource.query(
      `INSERT INTO error_groups (project_id, fingerprint, title, count, first_seen, last_seen)
       SELECT $1, 'race-' || i, 'Crash ' || i, i, now(), now() FROM generate_series(1, $2::int) i`,
      [await projectIdOf(app, key), n],
    );
    return Array.from({ length: n }, (_, i) => `race-${i + 1}`);
  }
  const group = async (key: string, fp: string): Promise<Row> =>
    (await app.dataSource.query(
      `SELECT g.id::text AS id, g.ticket_ref, g.ticket_create_claim AS claim FROM error_groups g JOIN projects p ON p.id = g.project_id
        WHERE p.key = $1 AND g.fingerprint = $2`,
      [key, fp],
    ))[0];
  const ticketJobs = (groupId: string): Promise<Row[]> =>
    app.dataSource.query(`SELECT id::text AS id, status, last_error FROM outbox WHERE kind = 'ticket.create' AND payload->>'groupId' = $1`, [groupId]);
  const runStatus = async (key: string, id: string): Promise<string> =>
    (await app.admin('get', `/api/v1/projects/${key}/integrations/jira/backfill/${id}`).expect(200)).body.status;

  it('answers 202 without a job of its own while the running backfill holds the group; one issue each', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    const fps = await seed(key, 60);
    sim.faults.latency(300);
    const started = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/backfill`).send({}).expect(202);
    // race-1 has the fewest occurrences: the backfill takes it last, in its second call.
    const pressed = await app.admin('post', `/api/v1/projects/${key}/groups/race-1/ticket`).expect(202);
    expect(pressed.body).toEqual({ pending: true });
    expect(await ticketJobs((await group(key, 'race-1')).id)).toEqual([]);
    await eventually(async () => ((await runStatus(key, started.body.id)) === 'done' ? true : undefined), 60_000, 100);
    expect(fps.map((fp) => issuesWithLabel(sim, ticketMarker(key, fp)).length).filter((n) => n !== 1)).toEqual([]);
    expect((await group(key, 'race-1')).ticket_ref).not.toBeNull();
  });

  it('a ticket job started once the backfill was cancelled with its create call in flight waits for it, then finds the link', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    await seed(key, 5);
    sim.faults.latency(2_000);
    const started = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/backfill`).send({}).expect(202);
    // The bulk create is on its way once the batch recorded its attempt.
    const g = await eventually(async () => {
      const row = await group(key, 'race-3');
      return row.claim === `backfill:${started.body.id}` ? row : undefined;
    }, 20_000, 20);
    await app.admin('delete', `/api/v1/projects/${key}/integrations/jira/backfill/${started.body.id}`).expect(200);
    await app.admin('post', `/api/v1/projects/${key}/groups/race-3/ticket`).expect(202);
    // The job runs while the backfill's request is still unanswered: it waits instead of creating a second issue.
    const waiting = await eventually(async () => {
      const [job] = await ticketJobs(g.id);
      return job?.last_error ? job : undefined;
    }, 20_000, 20);
    expect(waiting.last_error).toContain('another creator');
    await eventually(async () => ((await group(key, 'race-3')).ticket_ref ? true : undefined), 20_000, 50);
    sim.faults.latency(0);
    // Due now instead of after the in-flight window: it finds the group linked and ends.
    await app.dataSource.query(`UPDATE outbox SET available_at = now() WHERE id = $1 AND status = 'pending'`, [waiting.id]);
    await eventually(async () => ((await ticketJobs(g.id))[0].status === 'done' ? true : undefined), 20_000, 50);
    expect(issuesWithLabel(sim, ticketMarker(key, 'race-3'))).toHaveLength(1);
  });

  it('records an attempt only over the one the creator read', async () => {
    const { key } = await createProject(app);
    await seed(key, 1);
    const { id } = await group(key, 'race-1');
    const attempts = app.service.app.get(TicketAttemptRepository);
    expect(await attempts.claim(id, 'default', 'job', null)).toBe(true);
    // A second creator that read the group before that attempt loses.
    expect(await attempts.claim(id, 'default', 'backfill:1', null)).toBe(false);
    const [{ at }] = await app.dataSource.query(`SELECT ticket_create_attempted_at AS at FROM error_groups WHERE id = $1`, [id]);
    expect(await attempts.claim(id, 'default', 'backfill:1', new Date(at))).toBe(true);
    expect((await group(key, 'race-1')).claim).toBe('backfill:1');
    // Only the creator whose attempt it is forgets it.
    await attempts.forget(id, 'job');
    expect((await group(key, 'race-1')).claim).toBe('backfill:1');
    await attempts.forget(id, 'backfill:1');
    expect((await group(key, 'race-1')).claim).toBeNull();
  });
});
