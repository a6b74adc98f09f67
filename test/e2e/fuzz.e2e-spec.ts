// Property-based fuzzing of the four write endpoints: ingestion, Jira settings PUT, group PATCH and
// Jira webhooks. For every generated request: never a 5xx; a 4xx changes nothing that is stored.
// FUZZ_RUNS cases per endpoint (npm test: 200 from a fixed seed, so CI is repeatable; npm run
// test:fuzz: 2,000 from a fresh seed each run). A failure prints fast-check's seed and path:
// FUZZ_SEED=<seed> FUZZ_PATH=<path> replays it.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refusedAddressKind } from '@app/common/net/ip-address';
import { MAX_ATTRIBUTES, MAX_ATTRIBUTES_BYTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/database/entities';
import { JiraSimulator } from '../jira-sim';
import { CapturingLogger } from '../support/captured-logs';
import { hubSignature, linkedGroups } from '../support/sync';
import {
  WireBody, anyNumber, anyString, buildAttributeSet, encodePathSegment, fuzzParameters, fuzzRuns, headerValue, hugeAttributeSet, junk, mutateAt,
  mutatedRecord, onTheWire, quiesce, quiesceStrict, readableJson, send, storedDigest,
} from '../support/fuzz';
import { fuzzedRuleMembers, validCreateRules, validRoutes, validValueMaps } from '../support/fuzz-settings';
import { configureJira, startSim } from '../support/jira';
import { createProject, projectIdOf, startTestApp, TestApp } from '../support/test-app';

const RUNS = fuzzRuns();
const TIMEOUT = Math.max(120_000, RUNS * 600);
const STATES = ['open', 'in-progress', 'resolved', 'muted'] as const;

/** The type of the values an arbitrary generates. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Res = { status: number; text: string; body: any; headers: Record<string, unknown> };

describe(`fuzz (${RUNS} cases per endpoint): never a 5xx, nothing stored on a 4xx`, () => {
  let app: TestApp;
  const logs = new CapturingLogger();

  beforeAll(async () => {
    app = await startTestApp({ logger: logs });
  });
  afterAll(async () => {
    await app.stop();
  });

  /** The failure message for a 5xx: the request, the answer and what the service logged about it. */
  const explain = (what: string, res: Res, logFrom: number) =>
    `${what} → ${res.status} ${res.text.slice(0, 300)}\nlogged:\n${logs.errorsSince(logFrom).join('\n').slice(0, 3000)}`;

  /** Status classes every fuzzed answer must be in: 2xx or 4xx. */
  function expectNo5xx(what: string, res: Res, logFrom: number): void {
    const ok = (res.status >= 200 && res.status < 300) || (res.status >= 400 && res.status < 500);
    if (!ok) throw new Error(explain(what, res, logFrom));
    if (res.status >= 400 && /json/.test(String(res.headers['content-type']))) {
      // Nest's error shape with a message that says what is wrong.
      expect(res.body).toMatchObject({ statusCode: res.status, message: expect.any(Array) });
      expect(res.body.message.length).toBeGreaterThan(0);
    } else if (res.status >= 400) {
      // Refused by Node's HTTP server itself (header or URL too large, malformed request).
      expect([400, 413, 414, 431]).toContain(res.status);
    }
  }

  const describeBody = (b: WireBody) =>
    `${b.contentType} ${typeof b.payload === 'string' ? b.payload.slice(0, 400) : Buffer.isBuffer(b.payload) ? `<${b.payload.length} bytes>` : ''}`;

  // -------------------------------------------------------------------------------------------
  it('ingestion: POST /api/v1/projects/{key}/groups', async () => {
    const { key, ingestToken } = await createProject(app);
    const other = await createProject(app);
    const projectId = await projectIdOf(app, key);
    const path = `/api/v1/projects/${key}/groups`;
    await app.admin('post', path).send({ fingerprint: 'stable', title: 'Stable', attributes: { version: '1.0.0' } }).expect(201);
    await app.admin('post', path).send({ fingerprint: 'resolved', attributes: { version: '1.0.0' } }).expect(201);

    const iso = fc.oneof(
      fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z',
        '9999-12-31T23:59:59.999Z', '2026-11-20T24:00:00Z', '2026-11-20T10:00:00+14:00', '2026-11-20T10:00:00.123456789Z', '2026-11-20',
        '2026-11-20T10:00Z', '20261120T100000Z', '2026-W47-1', '2026-324'),
      anyString,
    );
    const value = fc.oneof(anyString, anyNumber, fc.boolean(), fc.constantFrom('1.0.0', '2.0.0', '2.5.1', 'v3 hotfix', 'Linux'));
    const count = fc.oneof(fc.nat({ max: 1000 }), fc.constantFrom(0, 1e9), anyNumber);
    const histogram = fc.oneof(
      value,
      fc.dictionary(fc.oneof(fc.constantFrom('1.0.0', '2.5.0'), anyString), count, { maxKeys: 4 }),
      fc.array(fc.tuple(value, count), { maxLength: 4 }),
      fc.array(junk, { maxLength: 3 }),
    );
    const group = mutatedRecord(
      {
        fingerprint: fc.oneof({ arbitrary: fc.constantFrom('stable', 'resolved'), weight: 3 }, { arbitrary: fc.stringMatching(/^[a-z0-9]{1,10}$/), weight: 3 }, { arbitrary: anyString, weight: 2 }),
        title: anyString,
        callstack: fc.array(anyString, { maxLength: 6 }),
        classifiers: fc.array(anyString, { maxLength: 4 }),
        count,
        firstSeen: iso,
        lastSeen: iso,
        attributes: fc.dictionary(fc.oneof(fc.constantFrom('version', 'platform'), anyString), histogram, { maxKeys: 5 }),
        link: fc.oneof(fc.webUrl(), anyString),
      },
      { absent: 4 },
    );
    // Valid reports (then perhaps a few members replaced by junk): the paths that store something.
    const text = (max: number) =>
      fc.oneof(
        { arbitrary: fc.string({ unit: 'binary', maxLength: max }), weight: 40 },
        { arbitrary: fc.constantFrom('\u0000', 'a\u0000', '\ud800', 'x\udfffy', '\ufeff', '😀', 'e\u0301', '\u202eevil', '\\u0000', '%00', '{{title}}', '$version'), weight: 1 },
      );
    const validGroup = fc.record(
      {
        fingerprint: fc.oneof(fc.constantFrom('stable', 'resolved'), fc.stringMatching(/^[a-z0-9]{1,10}$/), text(20).filter((t) => t.length > 0)),
        title: text(40),
        callstack: fc.array(text(30), { maxLength: 5 }),
        classifiers: fc.array(text(10), { maxLength: 3 }),
        count: fc.nat({ max: 1000 }),
        firstSeen: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2025-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
        lastSeen: fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
        attributes: fc.dictionary(
          fc.oneof(fc.constantFrom('version', 'platform', 'build'), text(12).filter((t) => t.trim().length > 0)),
          fc.oneof(
            fc.oneof(fc.constantFrom('1.0.0', '2.0.0', '2.5.1', 'v3 hotfix'), text(12).filter((t) => t.length > 0), fc.integer(), fc.boolean()),
            fc.dictionary(fc.oneof(fc.constantFrom('1.0.0', '2.5.0', '10.0'), text(8).filter((t) => t.length > 0)), fc.nat({ max: 1e6 }), { maxKeys: 3 }),
            fc.array(fc.tuple(fc.oneof(fc.constantFrom('2.0.0', '3.1'), text(8).filter((t) => t.length > 0)), fc.nat({ max: 1e6 })), { maxLength: 3 }),
          ),
          { maxKeys: 4 },
        ),
        link: fc.webUrl(),
      },
      { requiredKeys: ['fingerprint'] },
    );
    const anyGroup = fc.oneof({ arbitrary: validGroup, weight: 3 }, { arbitrary: validGroup.chain(mutateAt), weight: 2 }, { arbitrary: group, weight: 2 });
    const body = fc.oneof(
      { arbitrary: anyGroup, weight: 6 },
      { arbitrary: fc.array(anyGroup, { minLength: 1, maxLength: 5 }).map((groups) => ({ groups })), weight: 2 },
      { arbitrary: mutatedRecord({ groups: fc.array(anyGroup, { maxLength: 3 }) }), weight: 1 },
    );
    const ingestCase = fc.record({
      body: onTheWire(body),
      auth: fc.constantFrom('admin', 'admin', 'admin', 'admin', 'admin', 'ingest', 'ingest', 'other-project', 'garbage', 'none'),
      idempotencyKey: fc.option(fc.oneof(fc.constantFrom('k1', 'k2', 'k3'), headerValue), { freq: 4 }),
      // Resolve the "resolved" group (until 2.0.0) first, so reports reach the regression paths.
      resolveFirst: fc.boolean(),
    });

    // Inputs that were 5xx once: NUL characters (PostgreSQL stores none), ISO 8601 forms Date cannot read.
    const json = (v: unknown): WireBody => ({ contentType: 'application/json', payload: JSON.stringify(v) });
    const example = (body: unknown, idempotencyKey: string | null = null): ValueOf<typeof ingestCase> =>
      ({ body: json(body), auth: 'admin', idempotencyKey, resolveFirst: false });
    const examples = [
      example({ fingerprint: 'nul', title: 'a\u0000b' }),
      example({ fingerprint: 'surrogate', callstack: ['\ud800'], attributes: { v: 'x\udfffy' } }),
      example({ fingerprint: 'stable', attributes: { 'v\u0000': '1' } }),
      example({ groups: [{ fingerprint: 'x', '\u0000': 1 }] }, 'k-nul'),
      example({ fingerprint: 'basic-format', lastSeen: '20261120T100000Z' }),
      example({ fingerprint: 'week-date', firstSeen: '2026-W47-1' }),
      example({ groups: [{ fingerprint: 'ordinal-date', lastSeen: '2026-324' }] }),
    ];

    let status2xx = 0;
    await fc.assert(
      fc.asyncProperty(ingestCase, async (c) => {
        if (c.resolveFirst) await app.admin('patch', `${path}/resolved`).send({ resolvedUntil: { version: '2.0.0' } }).expect(200);
        const before = await storedDigest(app, projectId);
        const logFrom = logs.lines.length;
        let req = app.http().post(path);
        const token = { admin: app.adminToken, ingest: ingestToken, 'other-project': other.ingestToken, garbage: 'cb_ing_not-a-real-token', none: undefined }[c.auth];
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        if (c.idempotencyKey !== null) req = req.set('Idempotency-Key', c.idempotencyKey);
        const res = await send(req, c.body);
        const what = `POST groups (${c.auth}, Idempotency-Key ${JSON.stringify(c.idempotencyKey)}) ${describeBody(c.body)}`;
        expectNo5xx(what, res, logFrom);
        // The token is checked before the body is read, whatever the body: no token is a 401, a bad one
        // a 401 (429 once this address has sent too many), another project's token a 403 (or that 429).
        if (c.auth === 'none') expect(res.status).toBe(401);
        if (c.auth === 'garbage') expect([401, 429]).toContain(res.status);
        if (c.auth === 'other-project') expect([403, 429]).toContain(res.status);
        if (res.status >= 400) expect(await storedDigest(app, projectId)).toEqual(before);
        else status2xx++;
      }),
      fuzzParameters(examples),
    );
    // The generators reach the paths that store something, not only the validation.
    expect(status2xx).toBeGreaterThan(RUNS / 20);
  }, TIMEOUT);

  // -------------------------------------------------------------------------------------------
  it('ingestion of huge attribute sets: a stored group stays within its attribute limits', async () => {
    const { key } = await createProject(app);
    const projectId = await projectIdOf(app, key);
    const path = `/api/v1/projects/${key}/groups`;
    const cases = fc.record({ fingerprint: fc.constantFrom('huge-1', 'huge-2'), set: hugeAttributeSet, batch: fc.boolean() });
    let stored = 0;
    const check = async (c: ValueOf<typeof cases>) => {
      const before = await storedDigest(app, projectId);
      const logFrom = logs.lines.length;
      const report = { fingerprint: c.fingerprint, attributes: buildAttributeSet(c.set) };
      const res = await app.admin('post', path).send(c.batch ? { groups: [report] } : report);
      expectNo5xx(`POST groups ${c.fingerprint}, attributes ${JSON.stringify({ ...c.set, salt: c.set.salt.slice(0, 40) })}`, res, logFrom);
      if (res.status >= 400 || res.body.results?.[0]?.status === 'error') return expect(await storedDigest(app, projectId)).toEqual(before);
      stored++;
      const [g] = await app.dataSource.query(`SELECT octet_length(attributes::text) AS bytes, attributes FROM error_groups WHERE project_id = $1 AND fingerprint = $2`, [projectId, c.fingerprint]);
      expect(Number(g.bytes)).toBeLessThanOrEqual(MAX_ATTRIBUTES_BYTES);
      expect(Object.keys(g.attributes).length).toBeLessThanOrEqual(MAX_ATTRIBUTES);
      for (const h of Object.values(g.attributes as Record<string, object>)) expect(Object.keys(h).length).toBeLessThanOrEqual(MAX_VALUES_PER_ATTRIBUTE);
    };
    // Sets of megabytes: a tenth of the cases of the other endpoints.
    await fc.assert(fc.asyncProperty(cases, check), { ...fuzzParameters(), numRuns: Math.max(10, Math.round(RUNS / 10)) });
    expect(stored).toBeGreaterThan(0);
  }, TIMEOUT);

  // -------------------------------------------------------------------------------------------
  it('Jira settings: PUT /api/v1/projects/{key}/integrations/jira', async () => {
    const { key } = await createProject(app);
    const projectId = await projectIdOf(app, key);
    const path = `/api/v1/projects/${key}/integrations/jira`;
    const rawRow = async () => (await app.dataSource.query(`SELECT * FROM jira_integrations WHERE project_id = $1`, [projectId]))[0];

    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,12}$/).map((s) => `SEKRET${s}`);
    const template = fc.oneof(fc.constantFrom('[$version] {{title}}', '{{title}}', '$platform, crash', '{{#each callstack}}{{this}}{{/each}}', '{{', '{{#if}}', '{{> x}}', '$$ ${a b}'), anyString);
    const name = fc.oneof(fc.constantFrom('Platform', 'customfield_10011', 'labels', 'Project', 'issuetype'), anyString);
    const apiUrl = fc.oneof(
      fc.constantFrom('http://127.0.0.1:8089/rest/api/2/', 'https://acme.atlassian.net', 'https://jira.acme.com/jira/rest/api/latest', 'http://10.0.0.5:8080',
        'http://169.254.169.254/latest/', 'http://[fe80::1]/', 'http://0.0.0.0:8089/', 'http://[::]/', 'http://metadata.google.internal/', 'http://2852039166/',
        'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/', 'ftp://jira.acme.com', 'https://u:p@jira.acme.com', 'https://jira.acme.com/?a=1',
        'https://jira.acme.com/rest/agile/1.0', 'https://jira.acme.com/rest/api/9', 'https://acme.atlassian.net/browse/CHK-1', 'https://', '//jira.acme.com'),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      anyString,
    );
    const auth = fc.oneof(
      secret.chain((s) => mutatedRecord({ type: fc.constant('basic'), email: fc.oneof(fc.emailAddress(), anyString), apiToken: fc.constant(s) })),
      secret.chain((s) => mutatedRecord({ type: fc.constant('bearer'), token: fc.constant(s) })),
      secret.chain((s) => mutatedRecord({ type: fc.constantFrom('basic', 'bearer', 'oauth'), username: anyString, email: anyString, apiToken: fc.constant(s), token: fc.constant(s) })),
    );
    const { createRules, route, valueMaps } = fuzzedRuleMembers(template, name);
    const settings = mutatedRecord({
      enabled: fc.boolean(),
      apiUrl,
      auth,
      projectKey: fc.oneof(fc.constantFrom('CHK', 'chk', 'A', 'ABCDEFGHIJK', '1AB', 'C_K'), anyString),
      issueType: fc.oneof(fc.constantFrom('Bug', 'Task'), anyString),
      subject: template,
      labels: template,
      description: template,
      fieldMapping: mutatedRecord({ labels: name, description: name }),
      customFields: fc.array(mutatedRecord({ field: name, value: template }), { maxLength: 4 }),
      sync: mutatedRecord({ outbound: fc.boolean(), inbound: fc.boolean() }),
      statusMapping: fc.array(mutatedRecord({ jiraStatus: fc.oneof(fc.constantFrom('To Do', 'Done', "Won't Do"), anyString), state: fc.constantFrom(...STATES), primary: fc.boolean() }), { maxLength: 4 }),
      userMapping: fc.array(mutatedRecord({ user: fc.oneof(fc.emailAddress(), anyString), jiraAccountId: anyString, jiraUsername: anyString }, { absent: 3 }), { maxLength: 3 }),
      autoMapUsersByEmail: fc.boolean(),
      fixVersionSync: mutatedRecord({ enabled: fc.boolean(), versionAttribute: fc.oneof(fc.constant('version'), anyString) }),
      regression: mutatedRecord({ reopenJira: fc.boolean(), comment: fc.boolean() }),
      createRules,
      routes: fc.array(route, { maxLength: 3 }),
      valueMaps,
      versions: mutatedRecord({ affects: fc.oneof(fc.constantFrom('top', 'all', 'none'), anyString), createMissing: fc.boolean() }),
    }, { absent: 3 });

    // Valid settings (then perhaps a few members replaced by junk): the paths that store something.
    const validSettings = fc.record(
      {
        enabled: fc.boolean(),
        apiUrl: fc.constantFrom('http://127.0.0.1:8089/rest/api/2/', 'https://acme.atlassian.net', 'https://jira.acme.com/jira/rest/api/3', 'http://10.0.0.5:8080', 'http://[::1]:8089/'),
        auth: fc.oneof(
          fc.record({ type: fc.constant('basic'), email: fc.emailAddress(), apiToken: secret }),
          fc.record({ type: fc.constant('basic'), username: fc.stringMatching(/^[a-z]{1,8}$/), apiToken: secret }),
          fc.record({ type: fc.constant('bearer'), token: secret }),
        ),
        projectKey: fc.constantFrom('CHK', 'chk', 'AB_1', 'Z'),
        issueType: fc.constantFrom('Bug', 'Task', '10004'),
        subject: fc.constantFrom('[$version] {{title}}', '{{title}}', '$${{count}}'),
        labels: fc.constantFrom('', 'crashbridge, $platform', '{{#each classifiers}}{{this}},{{/each}}'),
        description: fc.constantFrom('', 'h2. {{title}}', '{code}{{join callstack "\\n"}}{code}'),
        fieldMapping: fc.record({ labels: fc.constantFrom('labels', 'Tags'), description: fc.constantFrom('description', 'Environment') }, { requiredKeys: [] }),
        customFields: fc.uniqueArray(fc.record({ field: fc.constantFrom('Platform', 'customfield_10011', 'Build'), value: fc.constantFrom('$platform', '', '$build, nightly') }), { maxLength: 3, selector: (c) => c.field }),
        sync: fc.record({ outbound: fc.boolean(), inbound: fc.boolean() }, { requiredKeys: [] }),
        statusMapping: fc.uniqueArray(fc.record({ jiraStatus: fc.constantFrom('To Do', 'Done', 'In Progress', "Won't Do"), state: fc.constantFrom(...STATES) }), { maxLength: 4, selector: (m) => m.jiraStatus }),
        userMapping: fc.uniqueArray(fc.record({ user: fc.emailAddress(), jiraAccountId: fc.stringMatching(/^[0-9a-f]{6,24}$/) }), { maxLength: 3, selector: (u) => u.user.toLowerCase() }),
        autoMapUsersByEmail: fc.boolean(),
        fixVersionSync: fc.record({ enabled: fc.boolean(), versionAttribute: fc.constantFrom('version', 'app.version') }, { requiredKeys: [] }),
        regression: fc.record({ reopenJira: fc.boolean(), comment: fc.boolean() }, { requiredKeys: [] }),
        createRules: validCreateRules,
        routes: validRoutes,
        valueMaps: validValueMaps,
        versions: fc.record({ affects: fc.constantFrom('top', 'all', 'none'), createMissing: fc.boolean() }, { requiredKeys: [] }),
      },
      { requiredKeys: ['apiUrl', 'auth', 'projectKey', 'subject'] },
    );
    const anySettings = fc.oneof(
      { arbitrary: validSettings, weight: 2 },
      { arbitrary: validSettings.chain(mutateAt), weight: 3 },
      { arbitrary: settings, weight: 3 },
    );

    const base = { apiUrl: 'http://127.0.0.1:8089/rest/api/2/', auth: { type: 'basic', email: 'bot@acme.com', apiToken: 'SEKRETexample1' }, projectKey: 'CHK', subject: '{{title}}' };
    const settingsExamples: WireBody[] = [
      { ...base, issueType: 'Bug\u0000' },
      { ...base, statusMapping: [{ jiraStatus: 'Done\u0000', state: 'resolved' }] },
      { ...base, statusMapping: [{ jiraStatus: 'x\udfffy', state: 'resolved' }] },
      { ...base, apiUrl: 'http://169.254.169.254/latest/meta-data/' },
      { ...base, apiUrl: 'http://[::ffff:a9fe:a9fe]/' },
    ].map((b) => ({ contentType: 'application/json', payload: JSON.stringify(b) }));

    let saved = 0;
    await fc.assert(
      fc.asyncProperty(onTheWire(anySettings), async (body) => {
        const before = await storedDigest(app, projectId);
        const logFrom = logs.lines.length;
        const res = await send(app.admin('put', path), body);
        const what = `PUT settings ${describeBody(body)}`;
        expectNo5xx(what, res, logFrom);
        // A secret sent in the body never comes back, accepted or not.
        for (const s of (typeof body.payload === 'string' ? body.payload : '').match(/SEKRET[A-Za-z0-9]+/g) ?? []) expect(res.text).not.toContain(s);
        if (res.status >= 400) {
          expect(await storedDigest(app, projectId)).toEqual(before);
          return;
        }
        saved++;
        // Accepted: never a host the egress guard refuses; stored as answered; the secret encrypted.
        expect(refusedAddressKind(new URL(res.body.apiUrl).hostname)).toBeNull();
        const { webhook, ...shown } = res.body;
        const got = await app.admin('get', path).expect(200);
        expect(got.body).toEqual({ ...shown, webhook: { url: webhook.url } });
        const row = await rawRow();
        for (const s of (body.payload as string).match(/SEKRET[A-Za-z0-9]+/g) ?? []) expect(JSON.stringify(row)).not.toContain(s);
      }),
      fuzzParameters(settingsExamples),
    );
    expect(saved).toBeGreaterThan(RUNS / 10);
  }, TIMEOUT);

  // -------------------------------------------------------------------------------------------
  it('group changes: PATCH /api/v1/projects/{key}/groups/{fingerprint}', async () => {
    const { key } = await createProject(app);
    const projectId = await projectIdOf(app, key);
    const fingerprints = ['g0', 'g1', 'weird fp/%?#'];
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups: fingerprints.map((fingerprint) => ({ fingerprint, attributes: { version: '1.0.0' } })) }).expect(200);

    const fingerprint = fc.oneof(
      { arbitrary: fc.constantFrom(...fingerprints).map(encodePathSegment), weight: 6 },
      { arbitrary: anyString.map(encodePathSegment), weight: 2 },
      { arbitrary: fc.constantFrom('%00', 'g0%00', '%ZZ', '%', '%E0%A4%A', '%C0%AF', '%FF%FE', '..', '%2e%2e', 'a%2Fb', 'g0%20', '%F0%9F%98%80'), weight: 1 },
    );
    const body = mutatedRecord({
      state: fc.constantFrom(...STATES),
      assignee: fc.oneof(fc.constant(null), fc.emailAddress(), anyString),
      resolvedUntil: fc.oneof(fc.constant(null), mutatedRecord({ version: fc.oneof(fc.constantFrom('1.0', '2.4.1', 'v2 hotfix'), anyString), attribute: fc.oneof(fc.constant('version'), anyString) })),
    }, { absent: 4 });

    const patchExamples: Array<{ fp: string; wire: WireBody }> = [
      { fp: '%00', wire: { contentType: 'application/json', payload: '{"state":"open"}' } },
      { fp: 'g0', wire: { contentType: 'application/json', payload: JSON.stringify({ assignee: 'a\u0000' }) } },
      { fp: 'g1', wire: { contentType: 'application/json', payload: JSON.stringify({ resolvedUntil: { version: '1\u0000' } }) } },
      { fp: 'g1', wire: { contentType: 'application/json', payload: JSON.stringify({ assignee: '\ud800' }) } },
    ];

    let changed = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ fp: fingerprint, wire: onTheWire(body) }), async ({ fp, wire }) => {
        await quiesceStrict(app, projectId);
        const before = await storedDigest(app, projectId);
        const logFrom = logs.lines.length;
        const res = await send(app.admin('patch', `/api/v1/projects/${key}/groups/${fp}`), wire);
        expectNo5xx(`PATCH groups/${fp} ${describeBody(wire)}`, res, logFrom);
        await quiesceStrict(app, projectId);
        if (res.status >= 400) expect(await storedDigest(app, projectId)).toEqual(before);
        else {
          changed++;
          // What the PATCH answered is what is stored.
          const got = await app.admin('get', `/api/v1/projects/${key}/groups/${encodePathSegment(res.body.fingerprint)}`).expect(200);
          expect({ ...got.body, updatedAt: null }).toEqual({ ...res.body, updatedAt: null });
        }
      }),
      fuzzParameters(patchExamples),
    );
    expect(changed).toBeGreaterThan(0);
  }, TIMEOUT);

  // -------------------------------------------------------------------------------------------
  describe('with a Jira simulator', () => {
    let sim: JiraSimulator;
    beforeAll(async () => {
      sim = await startSim({ flavour: 'cloud' });
      sim.webhookMode = 'manual';
    });
    afterAll(async () => {
      await sim.stop();
    });

    it('webhooks: POST /webhooks/jira/{key}', async () => {
      const { key } = await createProject(app);
      const projectId = await projectIdOf(app, key);
      const settings = await configureJira(app, key, sim, {
        createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 },
        statusMapping: [{ jiraStatus: 'To Do', state: 'open', primary: true }, { jiraStatus: 'Done', state: 'resolved', primary: true }],
        userMapping: [{ user: 'bob@acme.com', jiraAccountId: '5b10ac8d82e05b22cc7d4ef6' }],
        fixVersionSync: { enabled: true, versionAttribute: 'version' },
      });
      const secret: string = settings.webhook.secret;
      const linked = await linkedGroups(app, key, sim, ['fp-0', 'fp-1']);
      const issues = [...linked.values()].map((k) => sim.getIssue(k)!).map((i) => ({ id: i.id, key: i.key }));
      sim.pendingWebhooks.splice(0);
      const otherProject = await createProject(app);
      const otherSecret: string = (await configureJira(app, otherProject.key, sim)).webhook.secret;

      const dir = join(__dirname, '../fixtures/jira-webhooks');
      const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => {
        const { _source, _note, ...payload } = JSON.parse(readFileSync(join(dir, f), 'utf8'));
        return payload as Record<string, any>;
      });
      const realistic = fc
        .tuple(fc.constantFrom(...fixtures), fc.option(fc.constantFrom(...issues), { freq: 4 }))
        .map(([f, issue]) => (issue ? { ...f, issue: { ...f.issue, id: issue.id, key: issue.key } } : f))
        .chain(mutateAt);
      const synthetic = mutatedRecord({
        webhookEvent: fc.constantFrom('jira:issue_updated', 'jira:issue_created', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'jira:version_released'),
        timestamp: anyNumber,
        issue: mutatedRecord({ id: fc.oneof(fc.constantFrom(...issues.map((i) => i.id)), anyString), key: fc.oneof(fc.constantFrom(...issues.map((i) => i.key)), anyString), fields: junk }),
        changelog: mutatedRecord({ items: fc.array(junk, { maxLength: 3 }) }),
        comment: junk,
        user: junk,
      });
      const webhookCase = fc.record({
        body: onTheWire(fc.oneof({ arbitrary: realistic, weight: 6 }, { arbitrary: synthetic, weight: 3 }, { arbitrary: junk, weight: 1 })),
        // `now` stamps the event with the time it is sent (else later events would all be stale).
        timestamp: fc.oneof({ arbitrary: fc.constant<'now' | 'keep'>('now'), weight: 3 }, { arbitrary: fc.constant<'now' | 'keep'>('keep'), weight: 1 }),
        auth: fc.constantFrom('hmac', 'hmac', 'hmac', 'hmac', 'hmac', 'hmac', 'query', 'query', 'forged-hmac', 'forged-query', 'other-project', 'none', 'both-wrong-signature'),
        identifier: fc.option(fc.oneof(fc.uuid(), headerValue), { freq: 2 }),
        retry: fc.option(headerValue, { freq: 5 }),
      });

      // NUL characters in ids and names; an event time beyond Date's range (±8.64e15 ms) on a linked issue.
      const event = (over: Record<string, unknown>) => ({
        webhookEvent: 'jira:issue_updated', timestamp: Date.now(),
        issue: { id: issues[0].id, key: issues[0].key, fields: { status: { name: 'Done', statusCategory: { key: 'done' } } } }, ...over,
      });
      const hookExamples = [
        event({ issue: { id: issues[0].id, key: 'CHK-\u0000' } }),
        event({ issue: { id: issues[0].id, key: 'CHK-\ud800' } }),
        event({ issue: { id: issues[0].id, key: issues[0].key, fields: { assignee: { accountId: 'a\u0000', displayName: 'A' } } } }),
        event({ timestamp: 1e20 }),
        event({ timestamp: 8.64e15 + 1 }),
        // Date holds 8.64e15 ms, but PostgreSQL refuses its text (+275760-09-13…): the job failed.
        event({ timestamp: 8.64e15 }),
      ].map((b): ValueOf<typeof webhookCase> => ({ body: { contentType: 'application/json', payload: JSON.stringify(b) }, timestamp: 'keep', auth: 'hmac', identifier: null, retry: null }));

      let accepted = 0;
      const failedJobs = new Set<string>();
      await fc.assert(
        fc.asyncProperty(webhookCase, async (c) => {
          (await quiesce(app, projectId)).forEach((f) => failedJobs.add(f));
          let wire = c.body;
          if (c.timestamp === 'now' && typeof wire.payload === 'string' && wire.payload.includes('"timestamp":')) {
            wire = { ...wire, payload: wire.payload.replace(/"timestamp":\s*[0-9.eE+-]+/, `"timestamp":${Date.now()}`) };
          }
          const raw = wire.payload as string | Buffer;
          const ignore = ['webhook.rejected', 'webhook.unparseable'];
          const before = await storedDigest(app, projectId, ignore);
          const logFrom = logs.lines.length;
          const signed = (s: string) => hubSignature(s, typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw);
          let url = `/webhooks/jira/${key}`;
          if (c.auth === 'query') url += `?secret=${encodeURIComponent(secret)}`;
          if (c.auth === 'forged-query') url += `?secret=${encodeURIComponent(`${secret}x`)}`;
          if (c.auth === 'other-project') url += `?secret=${encodeURIComponent(otherSecret)}`;
          if (c.auth === 'both-wrong-signature') url += `?secret=${encodeURIComponent(secret)}`;
          let req = app.http().post(url);
          if (c.auth === 'hmac') req = req.set('X-Hub-Signature', signed(secret));
          if (c.auth === 'forged-hmac') req = req.set('X-Hub-Signature', signed(otherSecret));
          if (c.auth === 'both-wrong-signature') req = req.set('X-Hub-Signature', `sha256=${'0'.repeat(64)}`);
          if (c.identifier !== null) req = req.set('X-Atlassian-Webhook-Identifier', c.identifier);
          if (c.retry !== null) req = req.set('X-Atlassian-Webhook-Retry', c.retry);
          const res = await send(req, wire);
          expectNo5xx(`webhook (${c.auth}) ${describeBody(wire)}`, res, logFrom);
          const authentic = c.auth === 'hmac' || c.auth === 'query';
          if (!authentic) {
            expect(res.status).toBeGreaterThanOrEqual(400);
            // Once the body could be read, a wrong or missing secret is a 401.
            if (readableJson(wire)) expect(res.status).toBe(401);
          }
          const failures = await quiesce(app, projectId);
          failures.forEach((f) => failedJobs.add(`${f} (after: ${describeBody(wire).slice(0, 300)})`));
          if (res.status >= 400) expect(await storedDigest(app, projectId, ignore)).toEqual(before);
          else accepted++;
        }),
        fuzzParameters(hookExamples),
      );
      expect(accepted).toBeGreaterThan(RUNS / 20);
      // An accepted event is applied or ignored: its job never fails (it would be retried for nothing),
      // nor does the database refuse it (the job would set it aside: activity webhook.failed).
      expect([...failedJobs]).toEqual([]);
      const setAside: Array<{ detail: string }> = await app.dataSource.query(
        `SELECT detail FROM activity WHERE project_id = $1 AND kind = 'webhook.failed'`, [projectId],
      );
      expect(setAside.map((a) => a.detail)).toEqual([]);
    }, TIMEOUT);
  });
});
