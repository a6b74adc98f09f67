// The project status page over HTTP: who may see it, and that each chart counts what the
// database holds (rows written in bulk by test/support/status-seed.ts).
import { JiraSimulator } from '../jira-sim';
import { startSim } from '../support/jira';
import { SEEDED, seedStatus } from '../support/status-seed';
import { connectSync } from '../support/sync';
import { createProject, startTestApp, TestApp } from '../support/test-app';
import { signIn, UiClient } from '../support/ui-session';

const chartTotal = (html: string, id: string) => Number(new RegExp(`data-chart="${id}" data-total="(\\d+)"`).exec(html)?.[1]);

describe('UI: project status page', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let ui: UiClient;
  beforeAll(async () => {
    [app, sim] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud' })]);
    ui = await signIn(app);
  });
  afterAll(async () => {
    await sim?.stop();
    await app?.stop();
  });

  const get = (path: string) => app.http().get(path).set('Cookie', ui.cookie);

  it('sends a visitor without a session to sign-in', async () => {
    const res = await app.http().get('/ui/projects/anything/status').expect(303);
    expect(res.headers.location).toBe(`/ui/sign-in?next=${encodeURIComponent('/ui/projects/anything/status')}`);
  });

  it('answers 404 for an unknown project', async () => {
    await get('/ui/projects/no-such-project/status').expect(404);
  });

  it('shows every chart, empty, for a project without Jira, linked from the project nav', async () => {
    const { key } = await createProject(app);
    const res = await get(`/ui/projects/${key}/status`).expect(200);
    for (const id of ['tickets', 'webhooks', 'failures', 'queue', 'reconciliation', 'health']) expect(res.text).toContain(`data-chart="${id}"`);
    expect(chartTotal(res.text, 'tickets')).toBe(0);
    expect(res.text).toContain('nothing in this period');
    expect(res.text).toContain('not set up');
    expect(res.text).toContain(`href="/ui/projects/${key}/status" aria-current="page"`);
    const groups = await get(`/ui/projects/${key}/groups`).expect(200);
    expect(groups.text).toContain(`href="/ui/projects/${key}/status"`);
    // The CSP allows no inline style or script: the charts use presentation attributes only.
    expect(res.text).not.toMatch(/\sstyle=|<style|<script(?! src=)/);
  });

  it('counts the last 24 h of tickets, deliveries, failures, jobs and reconciliation, and shows the health', async () => {
    const project = await connectSync(app, sim);
    await seedStatus(app.dataSource, project.projectId);
    const html = (await get(`/ui/projects/${project.key}/status`).expect(200)).text;
    expect(chartTotal(html, 'tickets')).toBe(SEEDED.ticketsCreated + SEEDED.ticketsFailed);
    expect(html).toContain(`${SEEDED.ticketsCreated} tickets created, ${SEEDED.ticketsFailed} creations failed`);
    expect(chartTotal(html, 'webhooks')).toBe(SEEDED.deliveries);
    expect(chartTotal(html, 'failures')).toBe(SEEDED.failedJobs);
    expect(html).toMatch(/>create<\/text>.*>sync<\/text>|>sync<\/text>.*>create<\/text>/s);
    expect(chartTotal(html, 'queue')).toBeGreaterThanOrEqual(SEEDED.laterJobs);
    expect(chartTotal(html, 'reconciliation')).toBe(SEEDED.resyncUpdates);
    expect(html).toContain(`${SEEDED.resyncRuns} runs, 22 issues read`);
    expect(html).toMatch(/data-tile="Credentials" data-tone="ok"/);
    expect(html).toMatch(/data-tile="Deliveries \(24 h\)" data-tone="ok"/);

    await app.dataSource.query(`UPDATE jira_integrations SET credentials_failing_since = now() WHERE project_id = $1`, [project.projectId]);
    const refused = (await get(`/ui/projects/${project.key}/status`).expect(200)).text;
    expect(refused).toMatch(/data-tile="Credentials" data-tone="bad"/);
    expect(refused).toContain('refused by Jira');
  });
});
