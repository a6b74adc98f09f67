// Credentials that stop working: a 401 marks the integration failing (settings, /health, metrics, UI), its jobs
// wait without spending attempts, and a new token or a successful probe resumes them with nothing lost.
import { JiraSimulator } from '../jira-sim';
import { listGroups } from '../support/groups';
import { configureJira, issuesWithLabel, startSim } from '../support/jira';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';
import { signIn, uiGet, UiClient } from '../support/ui-session';
import { ticketMarker } from '@app/modules/tickets/creation/marker';

type OutboxView = { kind: string; status: string; attempts: number; waiting_for: string | null; fp: string; last_error: string | null; available_at: Date };

// Seen flaky under a loaded CI (one run in three or four): the "jobs wait unspent" check once found a job not yet
// waiting after 20 s, and did not fail in six runs on a loaded machine since. Each test builds its own world, so a
// retry is a clean second run; a failure logs the jobs' rows, to find the cause.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

describe('Jira credentials that stop working', () => {
  let app: TestApp;
  let ui: UiClient;
  const sims: JiraSimulator[] = [];
  beforeAll(async () => {
    app = await startTestApp({ env: { JIRA_CREDENTIALS_PROBE_SECONDS: '1' } });
    ui = await signIn(app);
  });
  afterEach(async () => {
    for (const s of sims.splice(0)) await s.stop();
  });
  afterAll(async () => {
    await app.stop();
  });

  async function world(opts: Parameters<typeof startSim>[0] = {}, projectKey?: string) {
    const sim = await startSim(opts);
    sims.push(sim);
    const { key } = await createProject(app, projectKey);
    await configureJira(app, key, sim);
    return { sim, key, projectId: await projectIdOf(app, key) };
  }
  const ingest = (key: string, fp: string) => app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: fp, title: `Crash ${fp}`, count: 1 }).expect(201);
  const settings = async (key: string) => (await app.admin('get', `/api/v1/projects/${key}/integrations/jira`).expect(200)).body;
  const ticketsOf = async (key: string, fps: string[]) => {
    const byFp = new Map((await listGroups(app, key)).map((g) => [g.fingerprint as string, g]));
    return fps.every((fp) => byFp.get(fp)?.ticket) ? fps.map((fp) => byFp.get(fp)!) : undefined;
  };
  const ticketJobs = async (projectId: string): Promise<OutboxView[]> =>
    app.dataSource.query(
      `SELECT o.kind, o.status, o.attempts, o.waiting_for, g.fingerprint AS fp, o.last_error, o.available_at
         FROM outbox o JOIN error_groups g ON g.id = (o.payload->>'groupId')::bigint
        WHERE o.project_id = $1 AND o.kind = 'ticket.create' ORDER BY g.fingerprint`,
      [projectId],
    );
  const oneIssueEach = (sim: JiraSimulator, key: string, fps: string[]) =>
    expect(fps.map((fp) => issuesWithLabel(sim, ticketMarker(key, fp)).length)).toEqual(fps.map(() => 1));
  // The stored token works again (say, revoked by mistake and restored): only the probe can notice.
  const restoreToken = (sim: JiraSimulator) => {
    const { apiToken, pat } = sim.credentials;
    sim.rotateToken();
    Object.assign(sim.credentials, { apiToken, pat });
  };
  const failingGauge = async () => Number(/^crashbridge_jira_credentials_failing (\d+)$/m.exec((await app.http().get('/metrics').expect(200)).text)?.[1]);

  it('an expired token: the integration shows failing everywhere, jobs wait unspent, and a new token resumes them all', async () => {
    const { sim, key, projectId } = await world({ flavour: 'cloud' });
    expect((await settings(key)).health).toEqual({ credentials: 'ok' });
    await ingest(key, 'fp-0');
    await eventually(() => ticketsOf(key, ['fp-0']), 20_000, 100);

    sim.expireToken();
    for (const fp of ['fp-1', 'fp-2', 'fp-3']) await ingest(key, fp);
    const failing = await eventually(async () => ((await settings(key)).health.credentials === 'failing' ? (await settings(key)).health : undefined), 20_000, 100);
    expect(failing).toEqual({ credentials: 'failing', since: expect.any(String), message: expect.stringContaining('401') });

    // Every job queued meanwhile waits: not failed, no attempt spent.
    await eventually(async () => {
      const waiting = (await ticketJobs(projectId)).filter((j) => j.fp !== 'fp-0');
      const ok = waiting.length === 3 && waiting.every((j) => j.status === 'pending' && j.waiting_for === 'jira-credentials' && j.attempts === 0);
      // Not yet: the rows as they are, so that a timeout says which job was where.
      if (!ok) throw new Error(`jobs not all waiting: ${JSON.stringify(waiting)}`);
      return ok;
    }, 20_000, 100);
    const groups = new Map((await listGroups(app, key)).map((g) => [g.fingerprint as string, g]));
    expect(['fp-1', 'fp-2', 'fp-3'].map((fp) => groups.get(fp)?.ticket ?? null)).toEqual([null, null, null]);

    const health = await app.http().get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', jira: { credentialsFailing: expect.arrayContaining([key]) } });
    expect(await failingGauge()).toBeGreaterThanOrEqual(1);
    expect((await uiGet(app, ui, `/ui/projects/${key}/jira`).expect(200)).text).toContain('id="credentials-failing"');
    expect((await uiGet(app, ui, '/ui/projects').expect(200)).text).toMatch(new RegExp(`id="credentials-failing"[\\s\\S]*${key}`));

    // A new token, saved: the state clears at once and the waiting jobs complete, one issue per group.
    sim.rotateToken();
    const saved = await configureJira(app, key, sim);
    expect(saved.health).toEqual({ credentials: 'ok' });
    await eventually(() => ticketsOf(key, ['fp-0', 'fp-1', 'fp-2', 'fp-3']), 20_000, 100);
    oneIssueEach(sim, key, ['fp-0', 'fp-1', 'fp-2', 'fp-3']);
    expect((await ticketJobs(projectId)).map((j) => [j.fp, j.status, j.attempts])).toEqual([
      ['fp-0', 'done', 1], ['fp-1', 'done', 1], ['fp-2', 'done', 1], ['fp-3', 'done', 1],
    ]);
    expect((await settings(key)).health).toEqual({ credentials: 'ok' });
    expect((await app.http().get('/health').expect(200)).body.jira?.credentialsFailing ?? []).not.toContain(key);
    expect((await uiGet(app, ui, `/ui/projects/${key}/jira`).expect(200)).text).not.toContain('id="credentials-failing"');
  });

  it('the probe: once Jira accepts the stored token again, the state clears and the waiting jobs run, without a PUT', async () => {
    const { sim, key } = await world({ flavour: 'cloud' });
    await ingest(key, 'fp-first');
    await eventually(() => ticketsOf(key, ['fp-first']), 20_000, 100);
    sim.expireToken();
    await ingest(key, 'fp-a');
    await eventually(async () => (await settings(key)).health.credentials === 'failing', 20_000, 100);
    restoreToken(sim);
    await eventually(() => ticketsOf(key, ['fp-a']), 20_000, 100);
    oneIssueEach(sim, key, ['fp-a']);
    expect((await settings(key)).health).toEqual({ credentials: 'ok' });
    expect(sim.requests.some((r) => r.path.endsWith('/rest/api/2/myself') && r.status === 200)).toBe(true);
  });

  it('a failing site that is down holds back no other project: the probe asks it once a round, and the others recover', async () => {
    const failingWorld = async (projectKey: string) => {
      const w = await world({ flavour: 'cloud' }, projectKey);
      await ingest(w.key, 'fp-first');
      await eventually(() => ticketsOf(w.key, ['fp-first']), 20_000, 100);
      w.sim.expireToken();
      await ingest(w.key, 'fp-a');
      await eventually(async () => (await settings(w.key)).health.credentials === 'failing', 20_000, 100);
      return w;
    };
    // Probed first (projects go by key): a Jira that answers 503 to everything, which the jobs would retry for 60 s.
    const down = await failingWorld(`a-${Date.now().toString(36)}`);
    restoreToken(down.sim);
    down.sim.faults.serverErrors(1_000_000, 503);
    const downSince = down.sim.requests.length;
    const back = await failingWorld(`b-${Date.now().toString(36)}`);
    restoreToken(back.sim);
    await eventually(() => ticketsOf(back.key, ['fp-a']), 20_000, 100);
    oneIssueEach(back.sim, back.key, ['fp-a']);
    expect((await settings(down.key)).health.credentials).toBe('failing');
    // It was probed too, and stays failing: a 503 says nothing about the credentials.
    const probes = down.sim.requests.slice(downSince).filter((r) => r.path.endsWith('/rest/api/2/myself'));
    expect(probes.length).toBeGreaterThanOrEqual(1);
    expect(probes.every((r) => r.status === 503)).toBe(true);
  });

  it('Data Center personal access tokens (bearer) create tickets, and a replaced PAT resumes the waiting jobs', async () => {
    const { sim, key, projectId } = await world({ flavour: 'datacenter' });
    expect((await settings(key)).auth).toEqual({ type: 'bearer', tokenSet: true });
    await ingest(key, 'fp-dc-0');
    await eventually(() => ticketsOf(key, ['fp-dc-0']), 20_000, 100);
    sim.expireToken();
    await ingest(key, 'fp-dc-1');
    await eventually(async () => (await settings(key)).health.credentials === 'failing', 20_000, 100);
    sim.rotateToken();
    await configureJira(app, key, sim);
    await eventually(() => ticketsOf(key, ['fp-dc-0', 'fp-dc-1']), 20_000, 100);
    oneIssueEach(sim, key, ['fp-dc-0', 'fp-dc-1']);
    expect((await ticketJobs(projectId)).map((j) => j.attempts)).toEqual([1, 1]);
  });

  it("a scoped token's apiUrl (https://api.atlassian.com/ex/jira/{cloudId}/rest/api/2/) keeps its path", async () => {
    const sim = await startSim({ flavour: 'cloud', contextPath: '/ex/jira/3f7a2c1e-cloud-id' });
    sims.push(sim);
    const { key } = await createProject(app);
    const saved = await configureJira(app, key, sim, { apiUrl: sim.apiUrl.replace(/rest\/api\/2\/$/, 'rest/api/3') });
    expect(saved.apiUrl).toBe(sim.apiUrl);
    expect(sim.apiUrl).toContain('/ex/jira/3f7a2c1e-cloud-id/rest/api/2/');
    await ingest(key, 'fp-s');
    const [group] = (await eventually(() => ticketsOf(key, ['fp-s']), 20_000, 100)) as any[];
    expect(group.ticket.url).toBe(`${sim.baseUrl}/browse/${group.ticket.key}`);
  });
});
