import { malformedGroups } from '../fixtures/malformed-groups';
import { createProject, startTestApp, TestApp } from '../support/test-app';

/** Bodies that must each be refused with a 4xx, never a 5xx, changing nothing. */
function malformedBodies(): Array<string | object> {
  return [
    '', '{', '{"fingerprint":', 'null', 'true', '42', '"string"', '[]', '[1,2]', '{"fingerprint": "x",}', "{'fingerprint': 'x'}", 'NaN',
    ...malformedGroups('stable'),
    { groups: 'all' }, { groups: [] }, { groups: null }, { groups: [{ fingerprint: 'a' }], extra: 1 },
    { groups: Array.from({ length: 1001 }, (_, i) => ({ fingerprint: `g${i}` })) },
  ];
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
