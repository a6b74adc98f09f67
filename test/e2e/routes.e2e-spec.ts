// Routes (settings.routes): the first route whose conditions hold decides the Jira project, issue type and
// templates of a group's ticket, recorded with the first create attempt; preview and Test connection per route;
// the webhook filter and the inbound sync across every route's project. Against the simulator with two
// projects: CHK (Bug, Task) and MOB (Crash, which requires Device, and Task).
import { createServer } from 'node:net';
import { JiraSimulator, MOBILE_PROJECT } from '../jira-sim';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { configureJira, issuesWithLabel, startSim } from '../support/jira';
import { activity, getGroup, settleWebhooks } from '../support/sync';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';

type Route = { name: string; projectKey: string; when: object[]; issueType?: string; subject?: string; labels?: string; customFields?: object[] };

/** iOS crashes go to MOB as Crash (Device filled); other mobile groups to MOB as Task; the rest to CHK. */
const ROUTES: Route[] = [
  {
    name: 'ios-crashes',
    projectKey: 'MOB',
    issueType: 'Crash',
    when: [{ attribute: 'platform', op: '=', value: 'iOS' }],
    labels: 'mobile, $platform',
    customFields: [{ field: 'Device', value: '$device' }],
  },
  {
    name: 'mobile-tasks',
    projectKey: 'MOB',
    issueType: 'Task',
    when: [{ attribute: 'platform', op: 'in', value: ['iOS', 'Android'] }],
    subject: 'Mobile: {{title}}',
  },
];

const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
];

/** A free port, so PUBLIC_URL (the URL registered in Jira) can name the app's own address. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('routes', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  const extraSims: JiraSimulator[] = [];

  beforeAll(async () => {
    const port = await freePort();
    sim = await startSim({ flavour: 'cloud', projects: [MOBILE_PROJECT] });
    app = await startTestApp({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, JIRA_SEARCH_CONSISTENCY_SECONDS: '2' } });
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });
  afterEach(async () => {
    for (const s of extraSims.splice(0)) await s.stop();
  });

  /** Saves the integration's settings again with these routes, through the settings PUT (the stored token kept). */
  async function setRoutes(key: string, routes: Route[]): Promise<void> {
    const url = `/api/v1/projects/${key}/integrations/jira`;
    const { webhook: _webhook, health: _health, auth, ...saved } = (await app.admin('get', url).expect(200)).body;
    const keptAuth = auth.type === 'basic' ? { type: 'basic', email: auth.email } : { type: 'bearer' };
    await app.admin('put', url).send({ ...saved, auth: keptAuth, routes }).expect(200);
  }

  async function routedProject(s: JiraSimulator, routes: Route[] = ROUTES, settings: Record<string, unknown> = {}): Promise<string> {
    const { key } = await createProject(app);
    // Nothing is created until the routes are in place.
    await configureJira(app, key, s, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 }, statusMapping: STATUS_MAPPING, ...settings });
    await setRoutes(key, routes);
    return key;
  }

  const ingest = (key: string, body: object) => app.admin('post', `/api/v1/projects/${key}/groups`).send(body);
  const requestTicket = (key: string, fp: string) => app.admin('post', `/api/v1/projects/${key}/groups/${fp}/ticket`).send({}).expect(202);
  const ticketOf = (key: string, fp: string) => eventually(async () => (await getGroup(app, key, fp)).ticket as Record<string, any> | null, 30_000, 100);

  it('sends each group to the first route whose conditions hold; fields a route leaves out come from the top level', async () => {
    const key = await routedProject(sim);
    await ingest(key, {
      groups: [
        { fingerprint: 'ios-1', title: 'EXC_BAD_ACCESS in render', attributes: { platform: 'iOS', device: 'iPhone 15', version: '3.1.0' } },
        { fingerprint: 'android-1', title: 'NullPointerException', attributes: { platform: 'Android', version: '3.1.0' } },
        { fingerprint: 'linux-1', title: 'SIGSEGV in parse_header', attributes: { platform: 'Linux', version: '2.4.0' } },
      ],
    }).expect(200);
    for (const fp of ['ios-1', 'android-1', 'linux-1']) await requestTicket(key, fp);

    // iOS matches both routes: the first one wins.
    const ios = await ticketOf(key, 'ios-1');
    expect(ios).toMatchObject({ key: expect.stringMatching(/^MOB-\d+$/), route: 'ios-crashes' });
    const iosIssue = sim.getIssue(ios.key)!;
    expect(iosIssue.fields).toMatchObject({
      issuetype: { name: 'Crash' },
      summary: '[3.1.0] EXC_BAD_ACCESS in render', // the top level's subject
      labels: ['mobile', 'iOS', ticketMarker(key, 'ios-1')], // the route's labels
      customfield_10050: 'iPhone 15',
    });

    const android = await ticketOf(key, 'android-1');
    expect(android).toMatchObject({ key: expect.stringMatching(/^MOB-\d+$/), route: 'mobile-tasks' });
    expect(sim.getIssue(android.key)!.fields).toMatchObject({
      issuetype: { name: 'Task' },
      summary: 'Mobile: NullPointerException',
      labels: ['crashbridge', 'Android', ticketMarker(key, 'android-1')], // the top level's labels
    });

    const linux = await ticketOf(key, 'linux-1');
    expect(linux).toMatchObject({ key: expect.stringMatching(/^CHK-\d+$/), route: 'default' });
    expect(sim.getIssue(linux.key)!.fields).toMatchObject({ issuetype: { name: 'Bug' }, summary: '[2.4.0] SIGSEGV in parse_header' });

    const created = await activity(app, key, { fingerprint: 'ios-1', kind: 'ticket.created' });
    expect(created).toHaveLength(1);
    expect(created[0].detail).toBe(`Created Jira issue ${ios.key} (route ios-crashes)`);
    expect(created[0].data).toMatchObject({ key: ios.key, route: 'ios-crashes' });
    const rows: Array<{ ticket_route: string }> = await app.dataSource.query(
      `SELECT ticket_route FROM error_groups WHERE project_id = $1 AND fingerprint = 'android-1'`,
      [await projectIdOf(app, key)],
    );
    expect(rows).toEqual([{ ticket_route: 'mobile-tasks' }]);
  });

  it("a retry after a lost create answer keeps the first attempt's route, though the attributes now select another, and finds the issue there: no duplicate", async () => {
    // Search shows a new issue only after a second, so the retry waits for it (the app's consistency window is 2 s).
    const slow = await startSim({ flavour: 'cloud', projects: [MOBILE_PROJECT], searchVisibilityDelayMs: 1_000 });
    extraSims.push(slow);
    const key = await routedProject(slow);
    const projectId = await projectIdOf(app, key);
    await ingest(key, { fingerprint: 'ios-lost', title: 'Lost crash', attributes: { platform: 'iOS', device: 'iPad', version: '3.1.0' } }).expect(201);
    slow.faults.dropCreateResponses(1);
    await requestTicket(key, 'ios-lost');

    // The first attempt went out and its answer was lost: the route is recorded with it.
    await eventually(async () => slow.requests.some((r) => r.method === 'POST' && r.path.endsWith('/issue') && r.status === 0), 20_000);
    const recorded: Array<{ ticket_route: string | null }> = await app.dataSource.query(
      `SELECT ticket_route FROM error_groups WHERE project_id = $1 AND fingerprint = 'ios-lost'`,
      [projectId],
    );
    expect(recorded).toEqual([{ ticket_route: 'ios-crashes' }]);
    // Meanwhile the group turns Linux (the default route's, CHK): the retry must still look, and create, in MOB.
    // (The retry comes about a second after the lost answer, usually after this report; that a retry keeps the
    // recorded route whatever the attributes say is also proven without timing, in the creation-route unit spec.)
    await ingest(key, { fingerprint: 'ios-lost', count: 20, attributes: { platform: 'Linux' } }).expect(200);
    const isSearch = (r: { path: string }) => r.path.endsWith('/search/jql');

    const ticket = await ticketOf(key, 'ios-lost');
    expect(ticket).toMatchObject({ key: expect.stringMatching(/^MOB-\d+$/), route: 'ios-crashes' });
    expect(((await getGroup(app, key, 'ios-lost')) as unknown as { topValues: Record<string, string> }).topValues.platform).toBe('Linux');
    const mine = issuesWithLabel(slow, ticketMarker(key, 'ios-lost'));
    expect(mine.map((i) => i.key)).toEqual([ticket.key]);
    expect(slow.listIssues()).toHaveLength(1);
    const searches = slow.requests.filter(isSearch).map((r) => (r.body as { jql: string }).jql);
    expect(searches.length).toBeGreaterThan(0);
    for (const jql of searches) expect(jql).toBe(`project = "MOB" AND labels = "${ticketMarker(key, 'ios-lost')}"`);
    const linked = await activity(app, key, { fingerprint: 'ios-lost', kind: 'ticket.linked' });
    expect(linked.map((e) => e.detail)).toEqual([`Found the issue ${ticket.key} created by an earlier attempt (route ios-crashes)`]);
  });

  it('a retry whose recorded route was removed meanwhile takes the default route, says why, and still finds the issue', async () => {
    const slow = await startSim({ flavour: 'cloud', projects: [MOBILE_PROJECT], searchVisibilityDelayMs: 1_000 });
    extraSims.push(slow);
    const key = await routedProject(slow);
    await ingest(key, { fingerprint: 'ios-gone', title: 'Gone route', attributes: { platform: 'iOS', device: 'iPad' } }).expect(201);
    slow.faults.dropCreateResponses(1);
    await requestTicket(key, 'ios-gone');
    await eventually(async () => slow.requests.some((r) => r.method === 'POST' && r.path.endsWith('/issue') && r.status === 0), 20_000);
    await setRoutes(key, [ROUTES[1]]);

    const ticket = await ticketOf(key, 'ios-gone');
    // The issue the lost attempt created in MOB, found by its marker wherever it is: not a second one in CHK.
    expect(ticket).toMatchObject({ key: expect.stringMatching(/^MOB-\d+$/), route: 'default' });
    expect(slow.listIssues()).toHaveLength(1);
    // Where the lost attempt went is no longer known from the settings: the marker is looked for in every project.
    const searches = slow.requests.filter((r) => r.path.endsWith('/search/jql')).map((r) => (r.body as { jql: string }).jql);
    expect(new Set(searches)).toEqual(new Set([`labels = "${ticketMarker(key, 'ios-gone')}"`]));
    const [linked] = await activity(app, key, { fingerprint: 'ios-gone', kind: 'ticket.linked' });
    expect(linked.detail).toContain("route 'ios-crashes' no longer exists in the settings, so the default route (project CHK) was taken");
    expect(linked.data).toMatchObject({ route: 'default', routeFallback: expect.stringContaining('ios-crashes') });
  });

  it('previews the route the group would take, or the one asked for; an unknown route is a 400 naming route', async () => {
    const key = await routedProject(sim);
    await ingest(key, { fingerprint: 'ios-pv', title: 'Preview me', attributes: { platform: 'iOS', device: 'Pixel', version: '3.2.0' } }).expect(201);
    const preview = (body: object) => app.admin('post', `/api/v1/projects/${key}/integrations/jira/preview`).send(body);
    sim.clearRequests();

    const chosen = (await preview({ fingerprint: 'ios-pv' }).expect(200)).body;
    expect(chosen.route).toBe('ios-crashes');
    expect(chosen.fields).toMatchObject({ project: { key: 'MOB' }, issuetype: { id: '10010' }, summary: '[3.2.0] Preview me', customfield_10050: 'Pixel' });
    expect(chosen.errors).toEqual([]);

    const asked = (await preview({ fingerprint: 'ios-pv', route: 'mobile-tasks' }).expect(200)).body;
    expect(asked.route).toBe('mobile-tasks');
    expect(asked.fields).toMatchObject({ project: { key: 'MOB' }, issuetype: { id: '10002' }, summary: 'Mobile: Preview me' });

    const top = (await preview({ fingerprint: 'ios-pv', route: 'default' }).expect(200)).body;
    expect(top.route).toBe('default');
    expect(top.fields).toMatchObject({ project: { key: 'CHK' }, issuetype: { id: '10004' }, labels: ['crashbridge', 'iOS', ticketMarker(key, 'ios-pv')] });

    // An inline group is routed by its own attributes.
    const inline = (await preview({ group: { fingerprint: 'inline-android', attributes: { platform: 'Android' } } }).expect(200)).body;
    expect(inline.route).toBe('mobile-tasks');

    const unknown = await preview({ fingerprint: 'ios-pv', route: 'tablets' }).expect(400);
    expect(unknown.body.code).toBe('UNKNOWN_ROUTE');
    expect(unknown.body.message.join(' ')).toContain("route 'tablets' does not exist; the routes are: default, ios-crashes, mobile-tasks");
    const notText = await preview({ fingerprint: 'ios-pv', route: 42 }).expect(400);
    expect(notText.body.message.join(' ')).toContain('route must be');
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it("Test connection checks each route's project, issue type and required fields, and fails a route whose project does not exist", async () => {
    const routes: Route[] = [
      ...ROUTES,
      { name: 'no-device', projectKey: 'MOB', issueType: 'Crash', when: [{ attribute: 'device', op: 'exists' }] },
      { name: 'bugs-in-mob', projectKey: 'MOB', when: [{ attribute: 'platform', op: '=', value: 'watchOS' }] },
      { name: 'broken', projectKey: 'NOPE', when: [{ attribute: 'platform', op: '=', value: 'tvOS' }] },
    ];
    const key = await routedProject(sim, routes);
    const res = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/test`).expect(200);
    const byName = new Map<string, { ok: boolean; detail: string }>(res.body.checks.map((c: { name: string; ok: boolean; detail: string }) => [c.name, c]));
    const aspects = ['project', 'issueType', 'requiredFields', 'fields'];
    expect(res.body.checks.map((c: { name: string }) => c.name)).toEqual([
      'auth', 'project', 'issueType', 'requiredFields', 'fields',
      ...routes.flatMap((r) => aspects.map((a) => `route ${r.name}: ${a}`)),
    ]);
    expect(res.body.ok).toBe(false);
    for (const a of aspects) {
      expect({ a, ...byName.get(`route ios-crashes: ${a}`) }).toMatchObject({ a, ok: true });
      expect({ a, ...byName.get(`route mobile-tasks: ${a}`) }).toMatchObject({ a, ok: true });
    }
    expect(byName.get('route ios-crashes: project')!.detail).toBe('Found project MOB (Mobile)');
    expect(byName.get('route ios-crashes: issueType')!.detail).toBe('Issues of type Crash (id 10010) can be created in MOB');
    expect(byName.get('route no-device: requiredFields')).toEqual({
      name: 'route no-device: requiredFields',
      ok: false,
      detail: "Jira requires field 'Device' (customfield_10050) for Crash in MOB; add it under Custom fields",
    });
    expect(byName.get('route bugs-in-mob: issueType')).toMatchObject({ ok: false, detail: "issue type 'Bug' cannot be created in MOB (available: Task, Crash)" });
    expect(byName.get('route broken: project')).toMatchObject({ ok: false, detail: "Jira project 'NOPE' not found, or the account may not browse it" });
    for (const a of ['issueType', 'requiredFields', 'fields']) expect(byName.get(`route broken: ${a}`)).toMatchObject({ ok: false, detail: "skipped: project 'NOPE' not found" });
    // The top level (the default route) is checked as before.
    for (const name of ['auth', 'project', 'issueType', 'requiredFields', 'fields']) expect({ name, ok: byName.get(name)!.ok }).toEqual({ name, ok: true });
  });

  it("registers the webhook for every route's project; Jira changes to a routed ticket update its group", async () => {
    const s = await startSim({ flavour: 'cloud', projects: [MOBILE_PROJECT] });
    extraSims.push(s);
    const key = await routedProject(s);
    const projectId = await projectIdOf(app, key);
    const hook = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/webhook`).expect(200);
    expect(hook.body.jql).toBe('project in (CHK, MOB)');

    await ingest(key, { groups: [
      { fingerprint: 'ios-hook', title: 'Hooked', attributes: { platform: 'iOS', device: 'iPhone' } },
      { fingerprint: 'linux-hook', title: 'Hooked too', attributes: { platform: 'Linux' } },
    ] }).expect(200);
    await requestTicket(key, 'ios-hook');
    await requestTicket(key, 'linux-hook');
    const mob = await ticketOf(key, 'ios-hook');
    const chk = await ticketOf(key, 'linux-hook');
    expect([mob.key, chk.key]).toEqual([expect.stringMatching(/^MOB-/), expect.stringMatching(/^CHK-/)]);
    await settleWebhooks(app, s, projectId);

    s.transition(mob.key, 'Done');
    s.transition(chk.key, 'Done');
    await settleWebhooks(app, s, projectId);
    await eventually(async () => (await getGroup(app, key, 'ios-hook')).state === 'resolved');
    await eventually(async () => (await getGroup(app, key, 'linux-hook')).state === 'resolved');
    expect((await getGroup(app, key, 'ios-hook')).ticket).toMatchObject({ key: mob.key, status: 'Done', route: 'ios-crashes' });
    const changed = await activity(app, key, { fingerprint: 'ios-hook', kind: 'state.changed' });
    expect(changed.map((e) => e.source)).toEqual(['jira']);
  });

  it('links an existing issue of any route\'s project by hand; such a ticket has no route', async () => {
    const key = await routedProject(sim);
    await ingest(key, { fingerprint: 'by-hand', attributes: { platform: 'Linux' } }).expect(201);
    const res = await fetch(`${sim.apiUrl}issue`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${sim.credentials.email}:${sim.credentials.apiToken}`).toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields: { project: { key: 'MOB' }, issuetype: { name: 'Task' }, summary: 'Filed by a person' } }),
    });
    const issue = (await res.json()) as { key: string; id: string };
    const linked = await app.admin('post', `/api/v1/projects/${key}/groups/by-hand/ticket`).send({ key: issue.key }).expect(200);
    expect(linked.body).toMatchObject({ key: issue.key, id: issue.id, route: null });
    expect((await getGroup(app, key, 'by-hand')).ticket).toMatchObject({ key: issue.key, route: null });
  });

  it('settings without routes behave as before: everything goes to the top-level project, as the default route', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    const stored: Array<{ routes: unknown }> = await app.dataSource.query(
      `SELECT settings -> 'routes' AS routes FROM jira_integrations WHERE project_id = $1`,
      [await projectIdOf(app, key)],
    );
    expect(stored).toEqual([{ routes: [] }]);
    await ingest(key, { fingerprint: 'plain-ios', title: 'Plain', attributes: { platform: 'iOS', version: '1.0' } }).expect(201);
    const ticket = await ticketOf(key, 'plain-ios');
    expect(ticket).toMatchObject({ key: expect.stringMatching(/^CHK-\d+$/), route: 'default' });
    const [created] = await activity(app, key, { fingerprint: 'plain-ios', kind: 'ticket.created' });
    expect(created.detail).toBe(`Created Jira issue ${ticket.key}`);
    const preview = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/preview`).send({ fingerprint: 'plain-ios' }).expect(200);
    expect(preview.body).toMatchObject({ route: 'default', fields: { project: { key: 'CHK' } } });
    const test = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/test`).expect(200);
    expect(test.body.checks.map((c: { name: string }) => c.name)).toEqual(['auth', 'project', 'issueType', 'requiredFields', 'fields']);
    const hook = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/webhook`).expect(200);
    expect(hook.body.jql).toBe('project = CHK');
  });
});
