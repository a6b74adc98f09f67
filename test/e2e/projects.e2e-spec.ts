import { createProject, startTestApp, TestApp } from '../support/test-app';

describe('projects and auth', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('creates a project and shows the ingest token only on creation', async () => {
    const res = await app.admin('post', '/api/v1/projects').send({ key: 'checkout-web', name: 'Checkout web' }).expect(201);
    expect(res.body).toEqual({ key: 'checkout-web', name: 'Checkout web', ingestToken: expect.stringMatching(/^cb_ing_/), createdAt: expect.any(String) });
    const got = await app.admin('get', '/api/v1/projects/checkout-web').expect(200);
    expect(got.body).toEqual({ key: 'checkout-web', name: 'Checkout web', createdAt: res.body.createdAt });
    const list = await app.admin('get', '/api/v1/projects').expect(200);
    expect(list.body.map((p: { key: string }) => p.key)).toContain('checkout-web');
    expect(JSON.stringify(list.body)).not.toContain('cb_ing_');
  });

  it('stores only a hash of the ingest token', async () => {
    const { key, ingestToken } = await createProject(app);
    const [row] = await app.dataSource.query('SELECT * FROM projects WHERE key = $1', [key]);
    expect(JSON.stringify(row)).not.toContain(ingestToken);
    expect(row.ingest_token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a duplicate key with 409 and bad keys with 400 naming the field', async () => {
    const { key } = await createProject(app);
    const dup = await app.admin('post', '/api/v1/projects').send({ key, name: 'again' }).expect(409);
    expect(dup.body.message.join(' ')).toContain('key');
    for (const bad of ['A', 'Upper', '-lead', 'x', 'has space', 'a'.repeat(64), 42]) {
      const res = await app.admin('post', '/api/v1/projects').send({ key: bad, name: 'n' }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message.join(' ')).toMatch(/key/);
    }
    const extra = await app.admin('post', '/api/v1/projects').send({ key: 'ok-key-1', name: 'n', color: 'red' }).expect(400);
    expect(extra.body.message.join(' ')).toContain('color');
    const noName = await app.admin('post', '/api/v1/projects').send({ key: 'ok-key-2' }).expect(400);
    expect(noName.body.message.join(' ')).toContain('name');
  });

  it('requires the admin token on the admin API', async () => {
    await app.http().get('/api/v1/projects').expect(401);
    await app.http().get('/api/v1/projects').set('Authorization', 'Bearer nope-nope-nope').expect(401);
    await app.http().get('/api/v1/projects').set('Authorization', `Basic ${app.adminToken}`).expect(401);
    const { ingestToken } = await createProject(app);
    await app.http().get('/api/v1/projects').set('Authorization', `Bearer ${ingestToken}`).expect(403);
  });

  it('limits an ingest token to its own project', async () => {
    const a = await createProject(app);
    const b = await createProject(app);
    const group = { fingerprint: 'fp-1', title: 'crash' };
    await app.http().post(`/api/v1/projects/${a.key}/groups`).set('Authorization', `Bearer ${a.ingestToken}`).send(group).expect(201);
    await app.http().post(`/api/v1/projects/${b.key}/groups`).set('Authorization', `Bearer ${a.ingestToken}`).send(group).expect(403);
    await app.http().get(`/api/v1/projects/${a.key}/groups`).set('Authorization', `Bearer ${a.ingestToken}`).expect(403);
    await app.http().patch(`/api/v1/projects/${a.key}/groups/fp-1`).set('Authorization', `Bearer ${a.ingestToken}`).send({ state: 'muted' }).expect(403);
    const stored = await app.admin('get', `/api/v1/projects/${b.key}/groups`).expect(200);
    expect(stored.body.items).toHaveLength(0);
  });

  it('rotates the ingest token: the old one stops working', async () => {
    const p = await createProject(app);
    const rotated = await app.admin('post', `/api/v1/projects/${p.key}/ingest-token`).expect(200);
    expect(rotated.body.ingestToken).toMatch(/^cb_ing_/);
    expect(rotated.body.ingestToken).not.toBe(p.ingestToken);
    const g = { fingerprint: 'x' };
    await app.http().post(`/api/v1/projects/${p.key}/groups`).set('Authorization', `Bearer ${p.ingestToken}`).send(g).expect(401);
    await app.http().post(`/api/v1/projects/${p.key}/groups`).set('Authorization', `Bearer ${rotated.body.ingestToken}`).send(g).expect(201);
  });

  it('deletes a project with its groups', async () => {
    const p = await createProject(app);
    await app.admin('post', `/api/v1/projects/${p.key}/groups`).send({ fingerprint: 'gone' }).expect(201);
    await app.admin('delete', `/api/v1/projects/${p.key}`).expect(204);
    await app.admin('get', `/api/v1/projects/${p.key}`).expect(404);
    await app.admin('delete', `/api/v1/projects/${p.key}`).expect(404);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM error_groups g JOIN projects p ON p.id = g.project_id WHERE p.key = $1`, [p.key]);
    expect(n).toBe(0);
  });

  it('answers 404 for an unknown project', async () => {
    const res = await app.admin('get', '/api/v1/projects/no-such-project/groups').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'PROJECT_NOT_FOUND' });
  });
});
