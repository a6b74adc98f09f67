import { EventReceiver, signatureOf } from '../support/notification-receiver';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';

const SECRET = 'receiver-secret-0123456789';

describe('notifications', () => {
  let app: TestApp;
  let receiver: EventReceiver;
  const put = (key: string, body: object) => app.admin('put', `/api/v1/projects/${key}/notifications`).send(body);
  const patch = (key: string, fp: string, body: object) => app.admin('patch', `/api/v1/projects/${key}/groups/${fp}`).send(body).expect(200);
  const ingest = (key: string, groups: object[]) => app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups }).expect(200);

  beforeAll(async () => {
    app = await startTestApp();
    receiver = new EventReceiver();
    await receiver.start();
  });
  afterAll(async () => {
    await app.stop();
    await receiver.stop();
  });

  it('answers 400 naming the field for a refused or malformed url, a missing or short secret, and bad events', async () => {
    const { key } = await createProject(app);
    const good = { url: receiver.url, secret: SECRET, events: ['group.created'] };
    const cases: Array<[object, string]> = [
      [{ ...good, url: 'http://169.254.169.254/latest' }, 'url'],
      [{ ...good, url: 'http://metadata.google.internal/x' }, 'url'],
      [{ ...good, url: 'ftp://example.com/x' }, 'url'],
      [{ ...good, url: 'not a url' }, 'url'],
      [{ ...good, secret: undefined }, 'secret'],
      [{ ...good, secret: 'short' }, 'secret'],
      [{ ...good, events: [] }, 'events'],
      [{ ...good, events: ['group.nope'] }, 'events'],
      [{ ...good, events: ['group.created', 'group.created'] }, 'events'],
    ];
    for (const [body, field] of cases) {
      const res = await put(key, body).expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    await app.admin('get', `/api/v1/projects/${key}/notifications`).expect(404);
  });

  it('posts signed events; GET never shows the secret; DELETE stops them', async () => {
    const { key } = await createProject(app);
    const saved = await put(key, { url: receiver.url, secret: SECRET, events: ['group.created', 'group.state_changed', 'group.assigned'] }).expect(200);
    expect(saved.body).toEqual({ url: receiver.url, events: ['group.created', 'group.state_changed', 'group.assigned'], secretSet: true, updatedAt: expect.any(String) });
    // The secret stays when a later PUT leaves it out.
    await put(key, { url: receiver.url, events: ['group.created', 'group.state_changed', 'group.assigned'] }).expect(200);
    const shown = await app.admin('get', `/api/v1/projects/${key}/notifications`).expect(200);
    expect(JSON.stringify(shown.body)).not.toContain(SECRET);

    await ingest(key, [{ fingerprint: 'sig-1', title: 'Boom' }]);
    await patch(key, 'sig-1', { state: 'in-progress', assignee: 'ana' });
    const mine = () => receiver.got.filter((r) => r.body.project.key === key);
    await eventually(async () => mine().length === 3, 15_000);
    expect(mine().map((r) => r.type)).toEqual(['group.created', 'group.state_changed', 'group.assigned']);
    for (const r of mine()) {
      expect(r.signature).toBe(signatureOf(SECRET, r.raw));
      expect(r.body).toMatchObject({ id: expect.any(String), occurredAt: expect.any(String), group: { fingerprint: 'sig-1', title: 'Boom' } });
    }
    expect(mine()[1].body.changes).toEqual({ state: { from: 'open', to: 'in-progress' }, resolvedUntil: null });

    const deliveries = await app.admin('get', `/api/v1/projects/${key}/notifications/deliveries`).query({ limit: 2 }).expect(200);
    expect(deliveries.body.items).toHaveLength(2);
    expect(deliveries.body.items[0]).toMatchObject({ outcome: 'delivered', httpStatus: 204, eventId: mine()[2].id, deliveryId: mine()[2].delivery });
    const older = await app.admin('get', `/api/v1/projects/${key}/notifications/deliveries`).query({ before: deliveries.body.nextBefore }).expect(200);
    expect(older.body.items.map((d: { eventId: string }) => d.eventId)).toEqual([mine()[0].id]);

    await app.admin('delete', `/api/v1/projects/${key}/notifications`).expect(204);
    await app.admin('get', `/api/v1/projects/${key}/notifications`).expect(404);
  });

  it('a receiver that is down for a while (503, then refusing connections) gets every event after, once each and in order per group', async () => {
    const { key } = await createProject(app);
    await put(key, { url: receiver.url, secret: SECRET, events: ['group.created', 'group.assigned'] }).expect(200);
    receiver.mode = 503;
    const groups = 4;
    const steps = 6;
    await ingest(key, Array.from({ length: groups }, (_, g) => ({ fingerprint: `down-${g}` })));
    await eventually(async () => receiver.answered503 > 0, 15_000);
    await Promise.all(Array.from({ length: groups }, async (_, g) => {
      for (let i = 0; i < steps; i++) await patch(key, `down-${g}`, { assignee: `u${i}` });
    }));
    const port = receiver.port;
    await receiver.stop();
    await eventually(async () => {
      const d = await app.admin('get', `/api/v1/projects/${key}/notifications/deliveries`).expect(200);
      return d.body.items.some((a: { httpStatus: number | null; outcome: string }) => a.httpStatus === null && a.outcome === 'failed');
    }, 15_000);
    receiver.mode = 200;
    await receiver.start(port);

    const mine = () => receiver.got.filter((r) => r.body.project.key === key);
    await eventually(async () => mine().length >= groups * (1 + steps), 30_000);
    const ids = mine().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(groups * (1 + steps));
    for (let g = 0; g < groups; g++) {
      const of = mine().filter((r) => r.body.group.fingerprint === `down-${g}`);
      expect(of.map((r) => r.type)).toEqual(['group.created', ...Array(steps).fill('group.assigned')]);
      expect(of.slice(1).map((r) => r.body.changes.assignee.to)).toEqual(Array.from({ length: steps }, (_, i) => `u${i}`));
    }
    const attempts = await app.admin('get', `/api/v1/projects/${key}/notifications/deliveries`).query({ limit: 500 }).expect(200);
    const outcomes = attempts.body.items.map((a: { outcome: string; httpStatus: number | null }) => `${a.outcome}:${a.httpStatus}`);
    expect(outcomes).toContain('failed:503');
    expect(outcomes).toContain('failed:null');
    expect(outcomes.filter((o: string) => o.startsWith('delivered'))).toHaveLength(groups * (1 + steps));
  });

  it('gives up an event that has failed for 24 hours, then sends the next event of its group; other groups never wait', async () => {
    const { key } = await createProject(app);
    await put(key, { url: receiver.url, secret: SECRET, events: ['group.created', 'group.assigned'] }).expect(200);
    receiver.refuse.add(`${key}-stuck`);
    await ingest(key, [{ fingerprint: `${key}-stuck` }, { fingerprint: `${key}-fine` }]);
    await patch(key, `${key}-stuck`, { assignee: 'ana' });
    const mine = () => receiver.got.filter((r) => r.body.project.key === key);
    await eventually(async () => mine().length === 1, 15_000);
    expect(mine()[0].body.group.fingerprint).toBe(`${key}-fine`);
    // The batch's attempts are written after its last send: wait for the stuck event's failure to be stored.
    await eventually(async () => {
      const d = await app.admin('get', `/api/v1/projects/${key}/notifications/deliveries`).expect(200);
      return d.body.items.some((a: { outcome: string; fingerprint: string }) => a.outcome === 'failed' && a.fingerprint === `${key}-stuck`);
    }, 15_000);
    // The stuck group's first event has failed; make its failures a day old, and let the receiver take the rest.
    await app.dataSource.query(
      `UPDATE notification_deliveries SET at = at - interval '25 hours' WHERE project_id = (SELECT id FROM projects WHERE key = $1) AND outcome = 'failed'`,
      [key],
    );
    await eventually(async () => {
      const d = await app.admin('get', `/api/v1/projects/${key}/notifications/deliveries`).expect(200);
      return d.body.items.some((a: { outcome: string }) => a.outcome === 'given_up');
    }, 15_000);
    receiver.refuse.delete(`${key}-stuck`);
    await eventually(async () => mine().length === 2, 15_000);
    expect(mine()[1]).toMatchObject({ type: 'group.assigned', body: { group: { fingerprint: `${key}-stuck` } } });
  });
});
