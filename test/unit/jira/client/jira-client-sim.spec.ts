// JiraClient against the in-repo Jira simulator, both flavours.
import { JiraSimulator } from '../../../jira-sim';
import {
  JiraClient,
  type JiraAttemptInfo,
  type JiraClientOptions,
  type JiraConnection,
  JiraError,
} from '@app/modules/jira/client';

type Flavour = 'cloud' | 'datacenter';

const ALICE_ACCOUNT = '5b10ac8d82e05b22cc7d4ef5';

function connect(sim: JiraSimulator, auth: 'basic' | 'bearer' = 'basic', flavour?: Flavour): JiraConnection {
  const c = sim.credentials;
  return {
    apiUrl: sim.apiUrl,
    auth:
      auth === 'bearer'
        ? { type: 'bearer', token: c.pat }
        : sim.flavour === 'cloud'
          ? { type: 'basic', email: c.email, apiToken: c.apiToken }
          : { type: 'basic', username: c.username, apiToken: c.apiToken },
    ...(flavour ? { flavour } : {}),
  };
}

/** Fast retries so that 5xx bursts do not slow the suite (Retry-After is still honoured in full). */
const FAST: JiraClientOptions = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };

const bug = (summary: string, extra: Record<string, unknown> = {}) => ({
  project: { key: 'CHK' },
  issuetype: { id: '10004' },
  summary,
  ...extra,
});

const restRequests = (sim: JiraSimulator, suffix: string, method?: string) =>
  sim.requests.filter((r) => r.path.endsWith(suffix) && (!method || r.method === method));

describe.each<Flavour>(['cloud', 'datacenter'])('JiraClient against the %s simulator', (flavour) => {
  let sim: JiraSimulator;
  let client: JiraClient;
  let attempts: JiraAttemptInfo[];

  beforeEach(async () => {
    sim = await JiraSimulator.start({ flavour });
    attempts = [];
    client = new JiraClient(connect(sim, 'basic', flavour), { ...FAST, onAttempt: (i) => attempts.push(i) });
  });

  afterEach(async () => {
    await sim.stop();
  });

  describe('auth', () => {
    it('authenticates with basic auth (email on Cloud, username on Data Center)', async () => {
      const me = await client.myself();
      if (flavour === 'cloud') expect(me.accountId).toBeDefined();
      else expect(me.name).toBe('bot');
    });

    it('a wrong token → kind auth, Jira message, no secret anywhere', async () => {
      const conn = connect(sim);
      const wrong = 'wrong-token-XYZ';
      const c = new JiraClient({ ...conn, auth: { ...conn.auth, apiToken: wrong } as JiraConnection['auth'] }, FAST);
      const error = (await c.myself().catch((e: unknown) => e)) as JiraError;
      expect(error).toBeInstanceOf(JiraError);
      expect(error.kind).toBe('auth');
      expect(error.status).toBe(401);
      expect(error.retryable).toBe(false);
      expect(error.attempts).toBe(1);
      expect(error.message).toMatch(/^Jira 401: .*authenticat/i);
      expect(JSON.stringify(error) + error.message + error.stack).not.toContain(wrong);
      expect(restRequests(sim, '/myself')).toHaveLength(1);
    });

    if (flavour === 'datacenter') {
      it('authenticates with a bearer PAT', async () => {
        const c = new JiraClient(connect(sim, 'bearer'), FAST);
        await expect(c.myself()).resolves.toMatchObject({ name: 'bot' });
        await expect(c.flavour()).resolves.toBe('datacenter');
      });
    } else {
      it('a bearer token on Cloud → kind auth', async () => {
        const c = new JiraClient({ apiUrl: sim.apiUrl, auth: { type: 'bearer', token: 'whatever' } }, FAST);
        await expect(c.myself()).rejects.toMatchObject({ kind: 'auth', status: 401 });
      });
    }
  });

  it('detects the flavour once via serverInfo', async () => {
    const c = new JiraClient(connect(sim), FAST);
    await expect(Promise.all([c.flavour(), c.flavour()])).resolves.toEqual([flavour, flavour]);
    await c.flavour();
    expect(restRequests(sim, '/serverInfo')).toHaveLength(1);
  });

  it('reads the project and the field list', async () => {
    const project = await client.getProject('CHK');
    expect(project).toMatchObject({ key: 'CHK' });
    expect(project?.issueTypes?.map((t) => t.name)).toContain('Bug');
    await expect(client.getProject('NOPE')).resolves.toBeNull();
    const fields = await client.listFields();
    expect(fields).toContainEqual(expect.objectContaining({ id: 'customfield_10010', name: 'Platform', custom: true }));
  });

  describe('create metadata', () => {
    it('normalises issue types and fields', async () => {
      const types = await client.getCreateMetaIssueTypes('CHK');
      expect(types).toContainEqual(expect.objectContaining({ id: '10004', name: 'Bug', subtask: false }));
      const fields = await client.getCreateMetaFields('CHK', '10004');
      const byId = new Map(fields.map((f) => [f.fieldId, f]));
      expect(byId.get('summary')).toMatchObject({ required: true, name: 'Summary', schema: { type: 'string' } });
      expect(byId.get('customfield_10010')).toMatchObject({
        fieldId: 'customfield_10010',
        key: 'customfield_10010',
        name: 'Platform',
        required: false,
        schema: { type: 'option', customId: 10010 },
        allowedValues: expect.arrayContaining([expect.objectContaining({ value: 'Linux' })]),
      });
      expect(byId.get('labels')?.operations).toEqual(['add', 'set', 'remove']);
    });

    it('follows paging (DC isLast / Cloud total)', async () => {
      for (let i = 0; i < 60; i++) {
        sim.addField({
          id: `customfield_${20000 + i}`,
          name: `Extra ${i}`,
          custom: true,
          schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield', customId: 20000 + i },
        });
      }
      const fields = await client.getCreateMetaFields('CHK', '10004');
      expect(fields.length).toBeGreaterThan(70);
      expect(new Set(fields.map((f) => f.fieldId)).size).toBe(fields.length);
      expect(fields.map((f) => f.fieldId)).toContain('customfield_20059');
      const pages = restRequests(sim, '/issue/createmeta/CHK/issuetypes/10004');
      expect(pages.map((r) => r.query.startAt)).toEqual(['0', '50']);
    });

    it('an unknown issue type → not_found', async () => {
      await expect(client.getCreateMetaFields('CHK', '99999')).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    });
  });

  describe('issue lifecycle', () => {
    it('create → get → transition → assign → comment → properties → delete', async () => {
      const created = await client.createIssue(
        bug('SIGSEGV in parse_header', { labels: ['crashbridge', 'fp-5f2c9a0e7d'], customfield_10010: { value: 'Linux' } }),
      );
      expect(created).toEqual({ id: expect.any(String), key: 'CHK-1', self: expect.stringContaining('/issue/') });
      expect(sim.getIssue('CHK-1')?.fields.summary).toBe('SIGSEGV in parse_header');

      const issue = await client.getIssue('CHK-1', ['summary', 'status', 'labels']);
      expect(issue?.key).toBe('CHK-1');
      expect(issue?.fields.summary).toBe('SIGSEGV in parse_header');
      expect(issue?.fields.labels).toEqual(['crashbridge', 'fp-5f2c9a0e7d']);
      expect(issue?.fields.status?.statusCategory?.key).toBe('new');
      expect(Object.keys(issue?.fields ?? {}).sort()).toEqual(['labels', 'status', 'summary']);
      await expect(client.getIssue('CHK-999')).resolves.toBeNull();

      const transitions = await client.getTransitions('CHK-1');
      const done = transitions.find((t) => t.to.name === 'Done');
      expect(done).toEqual({ id: '31', name: 'Done', to: { id: '10001', name: 'Done', statusCategory: { key: 'done' } } });
      await client.transitionIssue('CHK-1', done!.id);
      expect((sim.getIssue('CHK-1')?.fields.status as { name: string }).name).toBe('Done');

      const alice = flavour === 'cloud' ? { accountId: ALICE_ACCOUNT } : { name: 'alice' };
      await client.assignIssue('CHK-1', alice);
      const assigned = sim.getIssue('CHK-1')?.fields.assignee as Record<string, unknown>;
      expect(assigned).toMatchObject(alice);
      const assignBody = restRequests(sim, '/issue/CHK-1/assignee', 'PUT')[0].body;
      expect(assignBody).toEqual(alice);
      await client.assignIssue('CHK-1', null);
      expect(sim.getIssue('CHK-1')?.fields.assignee).toBeNull();

      const comment = await client.addComment('CHK-1', 'Regressed in *2.5.0* (12 reports)');
      expect(comment.id).toBeDefined();
      const comments = await client.getComments('CHK-1');
      expect(comments.map((c) => c.body)).toEqual(['Regressed in *2.5.0* (12 reports)']);

      await expect(client.getIssueProperty('CHK-1', 'crashbridge')).resolves.toBeNull();
      await client.setIssueProperty('CHK-1', 'crashbridge', { fingerprint: '5f2c9a0e7d' });
      await expect(client.getIssueProperty('CHK-1', 'crashbridge')).resolves.toEqual({
        key: 'crashbridge',
        value: { fingerprint: '5f2c9a0e7d' },
      });

      await client.editIssue('CHK-1', { fields: { summary: 'renamed' } });
      expect(sim.getIssue('CHK-1')?.fields.summary).toBe('renamed');

      await expect(client.deleteIssue('CHK-1')).resolves.toBe(true);
      await expect(client.deleteIssue('CHK-1')).resolves.toBe(false);
      expect(sim.getIssue('CHK-1')).toBeUndefined();

      expect(attempts.every((a) => a.outcome === 'ok' || a.outcome === 'not_found')).toBe(true);
      expect(attempts.find((a) => a.path === 'issue/CHK-1/transitions' && a.method === 'POST')).toMatchObject({
        route: 'issue/{issue}/transitions',
        status: 204,
        attempt: 1,
      });
    });

    it("a 400 carries Jira's errors in the error and its message", async () => {
      sim.setRequired('customfield_10010', true, 'Bug');
      const error = (await client.createIssue(bug('no platform')).catch((e: unknown) => e)) as JiraError;
      expect(error).toBeInstanceOf(JiraError);
      expect(error.kind).toBe('bad_request');
      expect(error.status).toBe(400);
      expect(error.retryable).toBe(false);
      expect(error.errors).toEqual({ customfield_10010: expect.stringMatching(/Platform is required/) });
      expect(error.message).toMatch(/^Jira 400: customfield_10010: Platform is required/);
      expect(restRequests(sim, '/issue', 'POST')).toHaveLength(1);
    });

    it('a transition that is not available → bad_request with the message', async () => {
      await client.createIssue(bug('x'));
      await expect(client.transitionIssue('CHK-1', '11')).rejects.toMatchObject({
        kind: 'bad_request',
        errorMessages: [expect.stringMatching(/not valid/)],
      });
    });
  });

  describe('faults', () => {
    it('a 429 storm with Retry-After 1 succeeds, never sending before Retry-After elapsed', async () => {
      await client.createIssue(bug('one'));
      sim.clearRequests();
      sim.faults.rateLimit({ requests: 3, retryAfterSeconds: 1 });
      const issue = await client.getIssue('CHK-1');
      expect(issue?.key).toBe('CHK-1');
      const reqs = restRequests(sim, '/issue/CHK-1');
      expect(reqs.map((r) => r.status)).toEqual([429, 429, 429, 200]);
      for (let i = 1; i < reqs.length; i++) expect(reqs[i].at - reqs[i - 1].at).toBeGreaterThanOrEqual(1000);
      expect(attempts.slice(-4).map((a) => [a.outcome, a.retryInMs])).toEqual([
        ['rate_limited', 1000],
        ['rate_limited', 1000],
        ['rate_limited', 1000],
        ['ok', undefined],
      ]);
    }, 15_000);

    it('retries a create on 429 and on 503 with Retry-After (Jira did not process them)', async () => {
      sim.faults.rateLimit({ requests: 1, retryAfterSeconds: 1 });
      await expect(client.createIssue(bug('limited'))).resolves.toMatchObject({ key: 'CHK-1' });
      sim.faults.rateLimit({ requests: 1, retryAfterSeconds: 1, status: 503 });
      await expect(client.createIssue(bug('unavailable'))).resolves.toMatchObject({ key: 'CHK-2' });
      expect(restRequests(sim, '/issue', 'POST').map((r) => r.status)).toEqual([429, 201, 503, 201]);
      expect(sim.listIssues()).toHaveLength(2);
    }, 15_000);

    it('a 5xx burst then success', async () => {
      sim.faults.serverErrors(3);
      await expect(client.getProject('CHK')).resolves.toMatchObject({ key: 'CHK' });
      expect(restRequests(sim, '/project/CHK').map((r) => r.status)).toEqual([500, 500, 500, 200]);
      sim.faults.serverErrors(2, 502);
      await expect(client.searchJql('project = CHK')).resolves.toEqual([]);
    });

    it('gives up on endless 5xx after maxAttempts, with the last error', async () => {
      const c = new JiraClient(connect(sim, 'basic', flavour), { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 4 } });
      sim.faults.serverErrors(100);
      const error = (await c.myself().catch((e: unknown) => e)) as JiraError;
      expect(error).toMatchObject({ kind: 'server', status: 500, attempts: 4, errorMessages: ['Internal server error'] });
      expect(restRequests(sim, '/myself')).toHaveLength(4);
    });

    it('a dropped create response → unknown_outcome, and the issue exists', async () => {
      sim.faults.dropCreateResponses(1);
      const error = (await client.createIssue(bug('lost answer')).catch((e: unknown) => e)) as JiraError;
      expect(error).toBeInstanceOf(JiraError);
      expect(error.kind).toBe('unknown_outcome');
      expect(error.retryable).toBe(false);
      expect(error.mayHaveBeenProcessed).toBe(true);
      expect(error.message).toMatch(/may have been applied/);
      expect(restRequests(sim, '/issue', 'POST')).toHaveLength(1); // not retried
      expect(sim.listIssues().map((i) => i.fields.summary)).toEqual(['lost answer']);
      expect(attempts.at(-1)).toMatchObject({ method: 'POST', path: 'issue', outcome: 'unknown_outcome' });
    });

    it('a 500 on create → unknown_outcome (Jira may have created it), not retried', async () => {
      sim.faults.serverErrors(1);
      await expect(client.createIssue(bug('x'))).rejects.toMatchObject({ kind: 'unknown_outcome', status: 500 });
      expect(restRequests(sim, '/issue', 'POST')).toHaveLength(1);
    });
  });

  describe('search', () => {
    beforeEach(async () => {
      for (let i = 1; i <= 7; i++) await client.createIssue(bug(`issue ${i}`, { labels: ['crashbridge'] }));
      sim.clearRequests();
    });

    it('pages through all matches', async () => {
      const issues = await client.searchJql('project = CHK AND labels = crashbridge ORDER BY key ASC', {
        fields: ['summary', 'labels'],
        pageSize: 3,
      });
      expect(issues.map((i) => i.key)).toEqual(['CHK-1', 'CHK-2', 'CHK-3', 'CHK-4', 'CHK-5', 'CHK-6', 'CHK-7']);
      expect(issues[0].fields.summary).toBe('issue 1');
      const pages = sim.requests;
      expect(pages).toHaveLength(3);
      const bodies = pages.map((r) => r.body as Record<string, unknown>);
      if (flavour === 'cloud') {
        expect(pages.every((r) => r.method === 'POST' && r.path === '/rest/api/2/search/jql')).toBe(true);
        expect(bodies[0].nextPageToken).toBeUndefined();
        expect(bodies[1].nextPageToken).toEqual(expect.any(String));
        expect(bodies.every((b) => b.startAt === undefined)).toBe(true);
      } else {
        expect(pages.every((r) => r.method === 'POST' && r.path === '/rest/api/2/search')).toBe(true);
        expect(bodies.map((b) => b.startAt)).toEqual([0, 3, 6]);
      }
    });

    it('stops at maxIssues and iterates lazily', async () => {
      const some = await client.searchJql('project = CHK ORDER BY key ASC', { pageSize: 2, maxIssues: 3 });
      expect(some.map((i) => i.key)).toEqual(['CHK-1', 'CHK-2', 'CHK-3']);
      expect(sim.requests).toHaveLength(2);
      expect((sim.requests[1].body as { maxResults: number }).maxResults).toBe(1);

      sim.clearRequests();
      for await (const issue of client.iterateJql('project = CHK ORDER BY key ASC', { pageSize: 2 })) {
        expect(issue.key).toBe('CHK-1');
        break;
      }
      expect(sim.requests).toHaveLength(1);
    });

    it('returns fields by default (navigable)', async () => {
      const [first] = await client.searchJql('project = CHK ORDER BY key ASC', { maxIssues: 1 });
      expect(first.fields.summary).toBe('issue 1');
    });

    if (flavour === 'cloud') {
      it("the old /search answers 410 → kind gone with Jira's message", async () => {
        await expect(client.request({ method: 'POST', path: 'search', body: { jql: 'project = CHK' } })).rejects.toMatchObject({
          kind: 'gone',
          status: 410,
          message: expect.stringMatching(/^Jira 410: The requested API has been removed/),
        });
      });
    }
  });

  describe('findUserByEmail', () => {
    it('finds by email and caches the answer', async () => {
      const expected = flavour === 'cloud' ? { accountId: ALICE_ACCOUNT } : { name: 'alice' };
      await expect(client.findUserByEmail('alice@acme.com')).resolves.toEqual(expected);
      await expect(client.findUserByEmail('Alice@Acme.com')).resolves.toEqual(expected);
      await expect(client.findUserByEmail('nobody@acme.com')).resolves.toBeNull();
      await expect(client.findUserByEmail('nobody@acme.com')).resolves.toBeNull();
      const searches = restRequests(sim, '/user/search');
      expect(searches).toHaveLength(2);
      expect(searches[0].query).toEqual(
        flavour === 'cloud'
          ? expect.objectContaining({ query: 'alice@acme.com' })
          : expect.objectContaining({ username: 'alice@acme.com' }),
      );
    });

    it('the found reference assigns', async () => {
      await client.createIssue(bug('x'));
      await client.assignIssue('CHK-1', await client.findUserByEmail('alice@acme.com'));
      expect((sim.getIssue('CHK-1')?.fields.assignee as { displayName: string }).displayName).toBe('Alice');
    });

    if (flavour === 'cloud') {
      it('a user whose email is hidden is not found (null)', async () => {
        await expect(client.findUserByEmail('bob@acme.com')).resolves.toBeNull();
      });
    }
  });

  it('browseUrl derives from apiUrl', () => {
    expect(client.browseUrl('CHK-7')).toBe(`${sim.baseUrl}/browse/CHK-7`);
  });
});

describe('JiraClient with a /jira context path (Data Center)', () => {
  let sim: JiraSimulator;
  afterEach(async () => {
    await sim.stop();
  });

  it('works with the site URL, the REST URL and a v3 URL, and browses under /jira', async () => {
    sim = await JiraSimulator.start({ flavour: 'datacenter', contextPath: '/jira' });
    expect(sim.baseUrl).toMatch(/\/jira$/);
    for (const apiUrl of [sim.baseUrl, `${sim.baseUrl}/`, sim.apiUrl, sim.apiUrl.replace('/2/', '/3')]) {
      const c = new JiraClient({ ...connect(sim, 'bearer'), apiUrl }, FAST);
      expect(c.apiUrl).toBe(sim.apiUrl);
      await expect(c.myself()).resolves.toMatchObject({ name: 'bot' });
    }
    const c = new JiraClient({ apiUrl: sim.baseUrl, auth: { type: 'bearer', token: sim.credentials.pat } }, FAST);
    await expect(c.flavour()).resolves.toBe('datacenter');
    const created = await c.createIssue(bug('under /jira'));
    expect(c.browseUrl(created.key)).toBe(`${sim.baseUrl}/browse/${created.key}`);
    expect(sim.requests.every((r) => r.path.startsWith('/jira/rest/api/2/'))).toBe(true);
  });

  it('a URL without the context path misses Jira (404, not_found)', async () => {
    sim = await JiraSimulator.start({ flavour: 'datacenter', contextPath: '/jira' });
    const c = new JiraClient({ ...connect(sim, 'bearer', 'datacenter'), apiUrl: sim.baseUrl.replace(/\/jira$/, '') }, FAST);
    await expect(c.myself()).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('JiraClient with Cloud search lag', () => {
  it('reconcileIssues makes a just-created issue visible to search/jql', async () => {
    const sim = await JiraSimulator.start({ flavour: 'cloud', searchVisibilityDelayMs: 60_000 });
    try {
      const c = new JiraClient(connect(sim, 'basic', 'cloud'), FAST);
      const created = await c.createIssue(bug('fresh', { labels: ['fp-1'] }));
      await expect(c.searchJql('project = CHK AND labels = "fp-1"')).resolves.toEqual([]);
      const found = await c.searchJql('project = CHK AND labels = "fp-1"', { reconcileIssues: [Number(created.id)] });
      expect(found.map((i) => i.key)).toEqual([created.key]);
    } finally {
      await sim.stop();
    }
  });
});
