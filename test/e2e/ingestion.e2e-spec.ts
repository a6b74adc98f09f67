import { createProject, startTestApp, TestApp } from '../support/test-app';

describe('ingestion', () => {
  let app: TestApp;
  let key: string;
  let token: string;
  const post = (body: unknown) => app.http().post(`/api/v1/projects/${key}/groups`).set('Authorization', `Bearer ${token}`).send(body as object);
  const get = (fp: string) => app.admin('get', `/api/v1/projects/${key}/groups/${encodeURIComponent(fp)}`);

  beforeAll(async () => {
    app = await startTestApp();
    ({ key, ingestToken: token } = await createProject(app));
  });
  afterAll(() => app.stop());

  it('creates a group (201) and merges a re-post (200) without duplicating it', async () => {
    const first = await post({
      fingerprint: '5f2c9a0e7d',
      title: 'SIGSEGV in parse_header',
      callstack: ['parse_header', 'read_request', 'main'],
      classifiers: ['SIGSEGV'],
      count: 12,
      firstSeen: '2026-11-20T10:00:00Z',
      lastSeen: '2026-11-24T09:00:00Z',
      attributes: { version: { '2.4.0': 10, '2.5.0': 2 }, platform: { Linux: 12 } },
      link: 'https://errors.example.com/checkout-web/fingerprint/5f2c9a0e7d',
    }).expect(201);
    expect(first.body).toMatchObject({
      fingerprint: '5f2c9a0e7d', count: 12, state: 'open', assignee: null, resolvedUntil: null, regressions: 0, ticket: null,
      topValues: { version: '2.4.0', platform: 'Linux' }, firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-24T09:00:00.000Z',
    });
    const second = await post({
      fingerprint: '5f2c9a0e7d',
      title: 'SIGSEGV in parse_header (v2)',
      callstack: [],
      count: 20,
      firstSeen: '2026-11-19T08:00:00Z',
      lastSeen: '2026-11-23T00:00:00Z',
      attributes: { version: [['2.5.0', 19], ['2.6.0', 1]], platform: 'Windows' },
    }).expect(200);
    expect(second.body).toMatchObject({
      count: 32,
      title: 'SIGSEGV in parse_header (v2)',
      callstack: ['parse_header', 'read_request', 'main'], // empty keeps the stored one
      classifiers: ['SIGSEGV'],
      link: 'https://errors.example.com/checkout-web/fingerprint/5f2c9a0e7d',
      firstSeen: '2026-11-19T08:00:00.000Z', // minimum
      lastSeen: '2026-11-24T09:00:00.000Z', // maximum
      attributes: { version: { '2.4.0': 10, '2.5.0': 21, '2.6.0': 1 }, platform: { Linux: 12, Windows: 20 } },
      topValues: { version: '2.5.0', platform: 'Windows' },
    });
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM error_groups WHERE fingerprint = '5f2c9a0e7d'`);
    expect(n).toBe(1);
  });

  it('breaks top-value ties by natural order (1.10.0 beats 1.9.0)', async () => {
    const res = await post({ fingerprint: 'tie', attributes: { version: { '1.9.0': 5, '1.10.0': 5, '1.2.0': 1 } } }).expect(201);
    expect(res.body.topValues.version).toBe('1.10.0');
  });

  it('counts a scalar attribute `count` times and drops zero counts', async () => {
    const res = await post({ fingerprint: 'scalar', count: 7, attributes: { host: 'web-1', build: 1873, zero: { a: 0 } } }).expect(201);
    expect(res.body.attributes).toEqual({ host: { 'web-1': 7 }, build: { '1873': 7 } });
  });

  it('folds values beyond 100 per attribute into (other)', async () => {
    const many: Record<string, number> = {};
    for (let i = 0; i < 1_100; i++) many[`u${i}`] = i < 5 ? 100 : 1;
    const res = await post({ fingerprint: 'fold', attributes: { user: many } }).expect(201);
    const user = res.body.attributes.user as Record<string, number>;
    expect(Object.keys(user)).toHaveLength(100);
    expect(user['(other)']).toBe(1_001); // 1,100 values, 99 kept, the other 1,001 (count 1 each) folded
    const total = Object.values(user).reduce((a, b) => a + b, 0);
    expect(total).toBe(5 * 100 + 1_095);
    for (let i = 0; i < 5; i++) expect(user[`u${i}`]).toBe(100);
  });

  it('does not lose counts under 20 concurrent posts of the same fingerprint', async () => {
    await Promise.all(Array.from({ length: 20 }, () => post({ fingerprint: 'race', count: 1, attributes: { version: '1.0.0' } }).expect((r) => {
      if (r.status !== 200 && r.status !== 201) throw new Error(`status ${r.status}`);
    })));
    const res = await get('race').expect(200);
    expect(res.body.count).toBe(20);
    expect(res.body.attributes.version['1.0.0']).toBe(20);
  });

  it('answers each of many concurrent single reports with its own group, counted once, when they share statements', async () => {
    // 12 groups × 5 reports at once: concurrent reports share statements, a group's repeat waits for the next one,
    // and (embedded) a statement's answers wait for the next to go out. Each answer still shows its own group.
    const fingerprints = Array.from({ length: 12 }, (_, i) => `shared-${i}`);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, n) => fingerprints[n % 12]).map(async (fingerprint) => {
        const res = await post({ fingerprint, count: 1, attributes: { version: '3.0' } });
        return { fingerprint, status: res.status, body: res.body as { fingerprint: string; count: number } };
      }),
    );
    for (const fp of fingerprints) {
      const mine = answers.filter((a) => a.fingerprint === fp);
      expect(mine.every((a) => a.body.fingerprint === fp)).toBe(true);
      expect(mine.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
      // Each report's answer shows the count after it: 1 to 5, once each.
      expect(mine.map((a) => a.body.count).sort()).toEqual([1, 2, 3, 4, 5]);
      const stored = await get(fp).expect(200);
      expect(stored.body.count).toBe(5);
      expect(stored.body.attributes.version['3.0']).toBe(5);
    }
  });

  it('stores the good items of a batch and reports the bad one', async () => {
    const res = await post({
      groups: [
        { fingerprint: 'b-1', title: 'one' },
        { fingerprint: 'b-2', count: -1 },
        { fingerprint: 'b-1', count: 2 },
        'not an object',
        { fingerprint: 'b-3', attributes: { version: [['1.0', 'x']] } },
      ],
    }).expect(200);
    expect(res.body.results).toEqual([
      { fingerprint: 'b-1', status: 'created' },
      { fingerprint: 'b-2', status: 'error', error: expect.stringContaining('count') },
      { fingerprint: 'b-1', status: 'updated' },
      { fingerprint: null, status: 'error', error: expect.stringContaining('groups[3]') },
      { fingerprint: 'b-3', status: 'error', error: expect.stringContaining('attributes.version') },
    ]);
    expect((await get('b-1').expect(200)).body.count).toBe(3);
    await get('b-2').expect(404);
    await get('b-3').expect(404);
  });

  it('rejects a batch of more than 1,000 groups', async () => {
    const groups = Array.from({ length: 1_001 }, (_, i) => ({ fingerprint: `big-${i}` }));
    const res = await post({ groups }).expect(400);
    expect(res.body.message.join(' ')).toContain('groups');
    await get('big-0').expect(404);
  });

  it('ingests a full 1,000-group batch', async () => {
    const groups = Array.from({ length: 1_000 }, (_, i) => ({ fingerprint: `full-${i}`, count: 2, attributes: { version: '1.0' } }));
    const res = await post({ groups }).expect(200);
    expect(res.body.results.filter((r: { status: string }) => r.status === 'created')).toHaveLength(1_000);
    expect((await get('full-999').expect(200)).body.count).toBe(2);
  });

  it('replays an Idempotency-Key repeat and counts it once; another body is 422', async () => {
    const body = { fingerprint: 'idem', count: 5 };
    const a = await post(body).set('Idempotency-Key', 'req-1').expect(201);
    const b = await post(body).set('Idempotency-Key', 'req-1').expect(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toEqual(a.body);
    expect((await get('idem').expect(200)).body.count).toBe(5);
    const c = await post({ fingerprint: 'idem', count: 6 }).set('Idempotency-Key', 'req-1').expect(422);
    expect(c.body.message.join(' ')).toContain('Idempotency-Key');
    // Concurrent repeats of one key still count once.
    const statuses = await Promise.all(Array.from({ length: 5 }, () => post({ fingerprint: 'idem', count: 1 }).set('Idempotency-Key', 'req-2').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await get('idem').expect(200)).body.count).toBe(6);
  });

  it('lists groups newest lastSeen first with cursor pagination and a state filter', async () => {
    const p = await createProject(app);
    const base = Date.parse('2026-11-01T00:00:00Z');
    const groups = Array.from({ length: 7 }, (_, i) => ({ fingerprint: `l-${i}`, lastSeen: new Date(base + i * 60_000).toISOString() }));
    await app.admin('post', `/api/v1/projects/${p.key}/groups`).send({ groups }).expect(200);
    await app.admin('patch', `/api/v1/projects/${p.key}/groups/l-3`).send({ state: 'muted' }).expect(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ fingerprint: string }>; nextCursor: string | null } } = await app
        .admin('get', `/api/v1/projects/${p.key}/groups?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      seen.push(...res.body.items.map((g: { fingerprint: string }) => g.fingerprint));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['l-6', 'l-5', 'l-4', 'l-3', 'l-2', 'l-1', 'l-0']);
    const muted = await app.admin('get', `/api/v1/projects/${p.key}/groups?state=muted`).expect(200);
    expect(muted.body.items.map((g: { fingerprint: string }) => g.fingerprint)).toEqual(['l-3']);
    const search = await app.admin('get', `/api/v1/projects/${p.key}/groups?q=L-5`).expect(200);
    expect(search.body.items.map((g: { fingerprint: string }) => g.fingerprint)).toEqual(['l-5']);
    await app.admin('get', `/api/v1/projects/${p.key}/groups?cursor=garbage`).expect(400);
    await app.admin('get', `/api/v1/projects/${p.key}/groups?state=closed`).expect(400);
    await app.admin('get', `/api/v1/projects/${p.key}/groups?limit=0`).expect(400);
  });

  it('PATCHes state, assignee and resolvedUntil, with activity entries', async () => {
    await post({ fingerprint: 'patch-me' }).expect(201);
    const a = await app.admin('patch', `/api/v1/projects/${key}/groups/patch-me`).send({ state: 'in-progress', assignee: 'alice@acme.com' }).expect(200);
    expect(a.body).toMatchObject({ state: 'in-progress', assignee: 'alice@acme.com' });
    const b = await app.admin('patch', `/api/v1/projects/${key}/groups/patch-me`).send({ resolvedUntil: { version: '2.4.1' } }).expect(200);
    expect(b.body).toMatchObject({ state: 'resolved', resolvedUntil: { attribute: 'version', version: '2.4.1' } });
    const c = await app.admin('patch', `/api/v1/projects/${key}/groups/patch-me`).send({ state: 'open', assignee: null }).expect(200);
    expect(c.body).toMatchObject({ state: 'open', resolvedUntil: null, assignee: null });
    const bad = await app.admin('patch', `/api/v1/projects/${key}/groups/patch-me`).send({ state: 'closed' }).expect(400);
    expect(bad.body.message.join(' ')).toContain('state');
    await app.admin('patch', `/api/v1/projects/${key}/groups/patch-me`).send({}).expect(400);
    await app.admin('patch', `/api/v1/projects/${key}/groups/patch-me`).send({ resolvedUntil: { version: '' } }).expect(400);
    await app.admin('patch', `/api/v1/projects/${key}/groups/nope`).send({ state: 'open' }).expect(404);
    const log = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=patch-me&source=api`).expect(200);
    expect(log.body.map((e: { kind: string }) => e.kind)).toEqual([
      'assignee.changed', 'resolved-until.changed', 'state.changed', 'resolved-until.changed', 'state.changed', 'assignee.changed', 'state.changed',
    ]);
  });

  it('records each new group in the activity log once, in the ingest transaction', async () => {
    await post({ fingerprint: 'job-1', title: 'Job test' }).expect(201);
    await post({ fingerprint: 'job-1' }).expect(200);
    await post({ groups: [{ fingerprint: 'job-2', title: 'first' }, { fingerprint: 'job-2', title: 'second' }, { fingerprint: 'job-1' }] }).expect(200);
    const log = async (fp: string) => (await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=${fp}&kind=group.created`).expect(200)).body;
    expect(await log('job-1')).toEqual([expect.objectContaining({ source: 'ingest', detail: 'New group: Job test' })]);
    expect(await log('job-2')).toEqual([expect.objectContaining({ source: 'ingest', detail: 'New group: second' })]);
    // Written with the group, not by a job (the outbox carries Jira side effects: outbox.e2e-spec.ts).
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'group.created'`);
    expect(n).toBe(0);
  });
});
