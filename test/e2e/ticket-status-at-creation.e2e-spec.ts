// A ticket's status is known at creation (issue #13, item 8): the creation job reads it back,
// so a new group shows it with no webhook registered and no reconciliation running.
import { JiraSimulator } from '../jira-sim';
import { startSim } from '../support/jira';
import { connectSync, getGroup } from '../support/sync';
import { eventually, startTestApp, TestApp } from '../support/test-app';

describe('ticket status at creation', () => {
  let app: TestApp;
  const sims: JiraSimulator[] = [];
  beforeAll(async () => {
    app = await startTestApp(); // RESYNC_INTERVAL_SECONDS=0: no reconciliation
  });
  afterAll(async () => {
    await app.stop();
    for (const s of sims) await s.stop();
  });

  it.each([
    ['cloud', {}, 'To Do'],
    ['datacenter', { workflow: 'jira' as const }, 'Open'],
  ] as const)('%s: the new group shows its issue status without a webhook or a resync', async (flavour, opts, status) => {
    const s = await startSim({ flavour, ...opts });
    sims.push(s);
    const w = await connectSync(app, s, {}, { register: false });
    await app.admin('post', `/api/v1/projects/${w.key}/groups`).send({ fingerprint: 'fresh' }).expect(201);
    await app.admin('post', `/api/v1/projects/${w.key}/groups/fresh/ticket`).send({}).expect(202);
    const ticket = await eventually(async () => (await getGroup(app, w.key, 'fresh')).ticket, 20_000);
    expect(ticket.status).toBe(status);
    expect(s.deliveredWebhooks).toEqual([]);
  });
});
