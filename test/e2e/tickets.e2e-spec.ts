import { JiraSimulator } from '../jira-sim';
import { listGroups } from '../support/groups';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { configureJira, issuesWithLabel, startSim } from '../support/jira';
import { createJiraIssue } from '../support/sync';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';

type Group = { ticket: { key: string; id: string; url: string } | null; [k: string]: any };

async function waitForTickets(app: TestApp, key: string, fingerprints: string[], timeoutMs = 30_000): Promise<Group[]> {
  return eventually(async () => {
    const byFp = new Map((await listGroups(app, key)).map((g) => [g.fingerprint as string, g]));
    const groups = fingerprints.map((fp) => byFp.get(fp));
    return groups.every((g) => g?.ticket) ? (groups as Group[]) : undefined;
  }, timeoutMs, 250);
}

/** One Jira issue per group: by marker label, and exactly one in total per group. */
function expectOneIssueEach(sim: JiraSimulator, projectKey: string, fingerprints: string[]): void {
  for (const fp of fingerprints) expect({ fp, issues: issuesWithLabel(sim, ticketMarker(projectKey, fp)).length }).toEqual({ fp, issues: 1 });
}

describe('ticket creation', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startSim({ flavour: 'cloud' });
    app = await startTestApp({ env: { JIRA_SEARCH_CONSISTENCY_SECONDS: '2' } });
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });
  beforeEach(() => sim.faults.reset());

  it('creates one well-filled issue for a new group and shows it on the group', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, {
      customFields: [
        { field: 'Platform', value: '$platform' },
        { field: 'customfield_10011', value: '$build, nightly' },
      ],
    });
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({
      fingerprint: 'fp-full', title: 'SIGSEGV in parse_header', callstack: ['parse_header', 'main'], classifiers: ['SIGSEGV'], count: 3,
      attributes: { version: { '2.4.0': 2, '2.5.0': 1 }, platform: 'Linux', build: 'b1873' }, link: 'https://errors.example.com/g/fp-full',
    }).expect(201);
    const [group] = await waitForTickets(app, key, ['fp-full']);
    const issue = sim.getIssue(group.ticket!.key)!;
    expect(issue.fields.summary).toBe('[2.4.0] SIGSEGV in parse_header');
    expect(issue.fields.labels).toEqual(['crashbridge', 'Linux', ticketMarker(key, 'fp-full')]);
    expect(issue.fields.customfield_10010).toMatchObject({ value: 'Linux' });
    expect(issue.fields.customfield_10011).toEqual(['b1873', 'nightly']);
    expect(issue.fields.description).toContain('h3. SIGSEGV in parse_header');
    expect(issue.fields.description).toContain('{code}\nparse_header\nmain\n{code}');
    expect(issue.fields.description).toContain('|version|2.4.0|2|');
    expect(group.ticket).toEqual({ key: issue.key, id: issue.id, url: `${sim.baseUrl}/browse/${issue.key}`, status: 'To Do', statusCategory: 'new', route: 'default' }); // read back at creation
    const log = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=fp-full&kind=ticket.created`).expect(200);
    expect(log.body).toHaveLength(1);
    expect(log.body[0].detail).toContain(issue.key);
  });

  it('creates exactly 200 issues for 200 groups ingested concurrently (5 workers)', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 1000 } });
    const fps = Array.from({ length: 200 }, (_, i) => `many-${i}`);
    await Promise.all(
      Array.from({ length: 20 }, (_, c) =>
        app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups: fps.slice(c * 10, c * 10 + 10).map((fingerprint) => ({ fingerprint, attributes: { version: '1.0' } })) }).expect(200),
      ),
    );
    const groups = await waitForTickets(app, key, fps, 90_000);
    expect(new Set(groups.map((g) => g.ticket!.key)).size).toBe(200);
    expectOneIssueEach(sim, key, fps);
  }, 120_000);

  it('still creates exactly one issue per group when every first create answer is lost', async () => {
    const slowSearch = await startSim({ flavour: 'cloud', searchVisibilityDelayMs: 1_000 });
    try {
      const { key } = await createProject(app);
      await configureJira(app, key, slowSearch);
      slowSearch.faults.dropCreateResponses('first-per-summary');
      const fps = Array.from({ length: 10 }, (_, i) => `lost-${i}`);
      await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups: fps.map((fingerprint) => ({ fingerprint, title: `Lost ${fingerprint}` })) }).expect(200);
      await waitForTickets(app, key, fps, 60_000);
      expectOneIssueEach(slowSearch, key, fps);
      expect(slowSearch.listIssues()).toHaveLength(10);
      const dropped = slowSearch.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issue') && r.status === 0);
      expect(dropped).toHaveLength(10);
    } finally {
      await slowSearch.stop();
    }
  });

  it('honours Retry-After during a 429 storm and creates every ticket', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'warm-up' }).expect(201);
    await waitForTickets(app, key, ['warm-up']); // metadata now cached: what follows are creates only
    sim.clearRequests();
    sim.faults.rateLimit({ requests: 6, retryAfterSeconds: 1 });
    const fps = ['storm-1', 'storm-2', 'storm-3'];
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups: fps.map((fingerprint) => ({ fingerprint, title: `Storm ${fingerprint}` })) }).expect(200);
    await waitForTickets(app, key, fps, 60_000);
    expectOneIssueEach(sim, key, fps);
    const creates = sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issue'));
    expect(creates.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    for (const fp of fps) {
      const mine = creates.filter((r) => (r.body as any)?.fields?.summary === `Storm ${fp}`);
      for (let i = 1; i < mine.length; i++) {
        if (mine[i - 1].status === 429) expect(mine[i].at - mine[i - 1].at).toBeGreaterThanOrEqual(1_000);
      }
    }
  });

  it('fails with an activity entry naming a missing required field, without a retry storm; works once fixed', async () => {
    const strict = await startSim({ flavour: 'cloud' });
    try {
      strict.setRequired('customfield_10010', true);
      const { key } = await createProject(app);
      await configureJira(app, key, strict);
      await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'needs-platform', attributes: { platform: 'Linux' } }).expect(201);
      const failed = await eventually(async () => {
        const res = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=needs-platform&kind=ticket.failed`).expect(200);
        return res.body[0];
      }, 20_000);
      expect(failed.detail).toContain('customfield_10010');
      expect(failed.data.errors).toEqual({ customfield_10010: expect.stringContaining('Platform') });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(strict.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issue'))).toHaveLength(1);
      expect((await app.admin('get', `/api/v1/projects/${key}/groups/needs-platform`).expect(200)).body.ticket).toBeNull();

      await configureJira(app, key, strict, { customFields: [{ field: 'Platform', value: '$platform' }] });
      const res = await app.admin('post', `/api/v1/projects/${key}/groups/needs-platform/ticket`).expect(202);
      expect(res.body).toEqual({ pending: true });
      const [group] = await waitForTickets(app, key, ['needs-platform']);
      expect(strict.getIssue(group.ticket!.key)!.fields.customfield_10010).toMatchObject({ value: 'Linux' });
      await app.admin('post', `/api/v1/projects/${key}/groups/needs-platform/ticket`).expect(200);
    } finally {
      await strict.stop();
    }
  });

  it('applies createRules: minCount, maxTicketsPerHour and onNewGroup', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: true, minCount: 3, maxTicketsPerHour: 2 } });
    const post = (fingerprint: string, count: number) => app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint, count });
    await post('rare', 1).expect(201);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/rare`).expect(200)).body.ticket).toBeNull();
    await post('rare', 2).expect(200); // count reaches minCount
    await post('hot-1', 5).expect(201);
    await post('hot-2', 5).expect(201); // over the hourly limit of 2
    await waitForTickets(app, key, ['rare', 'hot-1']);
    const skipped = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=hot-2&kind=ticket.skipped`).expect(200);
    expect(skipped.body[0].detail).toContain('2 tickets per hour');
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/hot-2`).expect(200)).body.ticket).toBeNull();
    // A person can still ask for it.
    await app.admin('post', `/api/v1/projects/${key}/groups/hot-2/ticket`).expect(202);
    await waitForTickets(app, key, ['hot-2']);

    const manual = await createProject(app);
    await configureJira(app, manual.key, sim, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 100 } });
    await app.admin('post', `/api/v1/projects/${manual.key}/groups`).send({ fingerprint: 'quiet' }).expect(201);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(issuesWithLabel(sim, ticketMarker(manual.key, 'quiet'))).toHaveLength(0);
  });

  it('links an existing issue, refuses an unknown one, lets several groups share one, and unlinks', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 100 } });
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups: [{ fingerprint: 'a' }, { fingerprint: 'b' }] }).expect(200);
    const existing = sim.listIssues()[0];
    const linked = await app.admin('post', `/api/v1/projects/${key}/groups/a/ticket`).send({ key: existing.key }).expect(200);
    expect(linked.body).toMatchObject({ key: existing.key, id: existing.id });
    await app.admin('post', `/api/v1/projects/${key}/groups/b/ticket`).send({ key: existing.key.toLowerCase() }).expect(200);
    const a = (await app.admin('get', `/api/v1/projects/${key}/groups/a`).expect(200)).body;
    const b = (await app.admin('get', `/api/v1/projects/${key}/groups/b`).expect(200)).body;
    expect(a.ticket.key).toBe(existing.key);
    expect(b.ticket.key).toBe(existing.key);
    const missing = await app.admin('post', `/api/v1/projects/${key}/groups/a/ticket`).send({ key: 'CHK-99999' }).expect(404);
    expect(missing.body.message[0]).toContain('CHK-99999');
    await app.admin('post', `/api/v1/projects/${key}/groups/a/ticket`).send({ key: 'not a key' }).expect(400);
    await app.admin('delete', `/api/v1/projects/${key}/groups/a/ticket`).expect(204);
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/a`).expect(200)).body.ticket).toBeNull();
    await app.admin('delete', `/api/v1/projects/${key}/groups/a/ticket`).expect(404);
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/b`).expect(200)).body.ticket.key).toBe(existing.key);
  });

  it('keeps a link made by hand while the automatic ticket was being created, and says the created issue was left unlinked', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    const existing = await createJiraIssue(sim, 'Chosen by hand');
    const before = new Set(sim.listIssues().map((i) => i.key));
    // Jira answers slowly: the simulator stores the new issue at once and answers the create a second later.
    sim.faults.latency(1_000);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'linked-meanwhile' }).expect(201);
    const created = await eventually(async () => sim.listIssues().find((i) => !before.has(i.key)), 20_000, 20);
    // The create's answer is on its way: a person links the group to an issue they chose.
    sim.faults.latency(0);
    await app.admin('post', `/api/v1/projects/${key}/groups/linked-meanwhile/ticket`).send({ key: existing.key }).expect(200);
    const entry = await eventually(async () => {
      const log = (await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=linked-meanwhile&kind=ticket.created`).expect(200)).body;
      return log[0] as { detail: string; data: Record<string, unknown> } | undefined;
    }, 20_000);
    expect(entry.detail).toBe(`Created Jira issue ${created.key}; not linked: the group was linked to ${existing.key} meanwhile`);
    expect(entry.data).toMatchObject({ key: created.key, linkedTo: existing.key });
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/linked-meanwhile`).expect(200)).body.ticket.key).toBe(existing.key);
  });

  it('answers 502 naming Jira when Jira fails while an issue to link is checked, and links nothing', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 100 } });
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'jira-down' }).expect(201);
    sim.faults.serverErrors(50, 503);
    const res = await app.admin('post', `/api/v1/projects/${key}/groups/jira-down/ticket`).send({ key: 'CHK-1' }).expect(502);
    expect(res.body.code).toBe('JIRA_READ_FAILED');
    expect(res.body.message[0]).toContain('CHK-1');
    sim.faults.reset();
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/jira-down`).expect(200)).body.ticket).toBeNull();
  });

  it('answers 409 for a ticket request without an integration', async () => {
    const { key } = await createProject(app);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'orphan' }).expect(201);
    const res = await app.admin('post', `/api/v1/projects/${key}/groups/orphan/ticket`).expect(409);
    expect(res.body.code).toBe('INTEGRATION_NOT_CONFIGURED');
  });
});

describe('ticket creation on Jira Data Center', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startSim({ flavour: 'datacenter', contextPath: '/jira' });
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  it('creates the issue with a Bearer PAT, the values createmeta shape and a /jira context path', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { customFields: [{ field: 'Affected user', value: 'alice' }] });
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'dc-1', title: 'Crash on DC', attributes: { version: '9.1' } }).expect(201);
    const [group] = await waitForTickets(app, key, ['dc-1']);
    const issue = sim.getIssue(group.ticket!.key)!;
    expect(issue.fields.summary).toBe('[9.1] Crash on DC');
    expect(issue.fields.customfield_10014).toMatchObject({ name: 'alice' });
    expect(group.ticket!.url).toBe(`${sim.baseUrl}/browse/${issue.key}`);
    expect(sim.requests.some((r) => r.path.startsWith('/jira/rest/api/2/issue/createmeta/CHK/issuetypes'))).toBe(true);
  });
});
