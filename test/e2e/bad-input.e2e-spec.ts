import { createProject, startTestApp, TestApp } from '../support/test-app';

/** Bodies that must each be refused with a 4xx, never a 5xx, changing nothing. */
function malformedBodies(): Array<string | object> {
  const fp = 'stable';
  const bad: Array<string | object> = [
    '', '{', '{"fingerprint":', 'null', 'true', '42', '"string"', '[]', '[1,2]', '{"fingerprint": "x",}', "{'fingerprint': 'x'}", 'NaN',
    {}, { fingerprint: '' }, { fingerprint: 12 }, { fingerprint: null }, { fingerprint: ['a'] }, { fingerprint: 'x'.repeat(257) },
    { fingerprint: fp, count: -1 }, { fingerprint: fp, count: 1.5 }, { fingerprint: fp, count: '3' }, { fingerprint: fp, count: 1e12 },
    { fingerprint: fp, count: null }, { fingerprint: fp, title: 5 }, { fingerprint: fp, title: 'x'.repeat(1001) },
    { fingerprint: fp, callstack: 'main' }, { fingerprint: fp, callstack: [1, 2] }, { fingerprint: fp, callstack: Array(501).fill('f') },
    { fingerprint: fp, classifiers: {} }, { fingerprint: fp, classifiers: [null] },
    { fingerprint: fp, firstSeen: 'yesterday' }, { fingerprint: fp, lastSeen: '2026-13-45T00:00:00Z' }, { fingerprint: fp, lastSeen: 1700000000 },
    { fingerprint: fp, firstSeen: '2026-11-24T00:00:00Z', lastSeen: '2026-11-20T00:00:00Z' },
    { fingerprint: fp, attributes: [] }, { fingerprint: fp, attributes: 'version' }, { fingerprint: fp, attributes: null },
    { fingerprint: fp, attributes: { version: null } }, { fingerprint: fp, attributes: { version: { '1.0': -1 } } },
    { fingerprint: fp, attributes: { version: { '1.0': 'many' } } }, { fingerprint: fp, attributes: { version: [['1.0']] } },
    { fingerprint: fp, attributes: { version: [['1.0', 2, 3]] } }, { fingerprint: fp, attributes: { version: [[{}, 2]] } },
    { fingerprint: fp, attributes: { version: { '1.0': 1.5 } } }, { fingerprint: fp, attributes: { '': 'x' } },
    { fingerprint: fp, attributes: { version: 'v'.repeat(1025) } },
    { fingerprint: fp, attributes: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`a${i}`, 'x'])) },
    { fingerprint: fp, link: 'javascript:alert(1)' }, { fingerprint: fp, link: 'not a url' }, { fingerprint: fp, unknown: true },
    { groups: 'all' }, { groups: [] }, { groups: null }, { groups: [{ fingerprint: 'a' }], extra: 1 },
    { groups: Array.from({ length: 1001 }, (_, i) => ({ fingerprint: `g${i}` })) },
  ];
  return bad;
}

describe('bad input at the ingestion endpoint', () => {
  let app: TestApp;
  let key: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ key } = await createProject(app));
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'stable', title: 'Stable', count: 3, attributes: { version: '1.0' } }).expect(201);
  });
  afterAll(() => app.stop());

  const snapshot = async () => (await app.admin('get', `/api/v1/projects/${key}/groups/stable`).expect(200)).body;

  it('answers at least 50 malformed bodies with 4xx naming the problem, and changes nothing', async () => {
    const before = await snapshot();
    const bodies = malformedBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(50);
    for (const body of bodies) {
      const req = app.admin('post', `/api/v1/projects/${key}/groups`).set('Content-Type', 'application/json');
      const res = await req.send(typeof body === 'string' ? body : JSON.stringify(body));
      const shown = typeof body === 'string' ? body : JSON.stringify(body).slice(0, 80);
      expect({ body: shown, status: res.status }).toEqual({ body: shown, status: 400 });
      expect(Array.isArray(res.body.message) && res.body.message.length > 0).toBe(true);
    }
    expect(await snapshot()).toEqual(before);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM error_groups g JOIN projects p ON p.id = g.project_id WHERE p.key = $1`, [key]);
    expect(n).toBe(1);
  });

  it('names the offending field', async () => {
    const cases: Array<[object, string]> = [
      [{ fingerprint: 'stable', count: -1 }, 'count'],
      [{ fingerprint: '' }, 'fingerprint'],
      [{ fingerprint: 'stable', attributes: { version: { '1.0': -1 } } }, 'attributes.version'],
      [{ fingerprint: 'stable', lastSeen: 'soon' }, 'lastSeen'],
      [{ fingerprint: 'stable', bogus: 1 }, 'bogus'],
    ];
    for (const [body, field] of cases) {
      const res = await app.admin('post', `/api/v1/projects/${key}/groups`).send(body).expect(400);
      expect(res.body.message.join(' ')).toContain(field);
    }
  });

  it('refuses a body over 5 MB with 413', async () => {
    const huge = JSON.stringify({ fingerprint: 'stable', title: 'x', callstack: ['y'.repeat(5 * 1024 * 1024)] });
    const res = await app.admin('post', `/api/v1/projects/${key}/groups`).set('Content-Type', 'application/json').send(huge);
    expect(res.status).toBe(413);
    expect((await snapshot()).count).toBe(3);
  });

  it('rejects a malformed Idempotency-Key and an unknown project', async () => {
    await app.admin('post', `/api/v1/projects/${key}/groups`).set('Idempotency-Key', 'has space').send({ fingerprint: 'stable' }).expect(400);
    await app.admin('post', '/api/v1/projects/not-a-project/groups').send({ fingerprint: 'stable' }).expect(404);
    expect((await snapshot()).count).toBe(3);
  });
});
