// Webhook abuse (issue #19): forged deliveries neither fill the activity log nor reach the
// database without limit, a signed body replayed under fresh identifiers is stored once,
// and a 404 does not tell an unknown project from a project without Jira.
import { JiraSimulator } from '../jira-sim';
import { activity, connectSync, getGroup, hubSignature, linkedGroups, postWebhook, waitOutboxIdle } from '../support/sync';
import { startSim } from '../support/jira';
import { createProject, startTestApp, TestApp } from '../support/test-app';

const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
];

describe('webhook abuse', () => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startSim({ flavour: 'cloud' });
    sim.webhookMode = 'manual';
  });
  afterAll(async () => {
    await sim.stop();
  });

  /** A project linked to one simulator issue, moved to Done in Jira: the signed event waits in `event`. */
  async function world(app: TestApp) {
    const p = await connectSync(app, sim, { statusMapping: STATUS_MAPPING }, { register: false });
    const key0 = (await linkedGroups(app, p.key, sim, ['fp-0'])).get('fp-0')!;
    sim.pendingWebhooks.splice(0);
    sim.transition(key0, 'Done');
    const [event] = sim.pendingWebhooks.splice(0);
    return { ...p, key0, event, raw: JSON.stringify(event.body) };
  }

  const rejections = async (app: TestApp, projectId: string) => {
    const rows: Array<{ rejected: string }> = await app.dataSource.query(`SELECT rejected FROM webhook_rejections WHERE project_id = $1`, [projectId]);
    return rows.length === 0 ? 0 : Number(rows[0].rejected);
  };

  describe('without the per-address limit', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ env: { WEBHOOK_REJECTIONS_PER_MINUTE: '0' } });
    });
    afterAll(async () => {
      await app.stop();
    });

    it('counts 100 forged deliveries and keeps a bounded sample of them in the activity log, never the presented secret', async () => {
      const w = await world(app);
      const forged = `${w.secret}-forged`;
      for (let batch = 0; batch < 10; batch++) {
        const statuses = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            postWebhook(app, w.key, w.event.body, i % 2 === 0 ? { secret: forged } : { secret: forged, style: 'query' }).then((r) => r.status),
          ),
        );
        expect(statuses).toEqual(Array(10).fill(401));
      }
      expect(await rejections(app, w.projectId)).toBe(100);
      const rows: Array<{ n: string }> = await app.dataSource.query(
        `SELECT count(*) AS n FROM activity WHERE project_id = $1 AND kind = 'webhook.rejected'`, [w.projectId],
      );
      expect(Number(rows[0].n)).toBeLessThanOrEqual(20);
      const [latest, ...older] = await activity(app, w.key, { kind: 'webhook.rejected', limit: 100 });
      expect(older.length).toBeLessThan(20);
      expect(latest.data).toEqual({ address: expect.stringMatching(/127\.0\.0\.1/), rejected: 100, firstRejectedAt: expect.any(String) });
      expect(latest.detail).toContain('100');
      for (const entry of [latest, ...older]) expect(JSON.stringify(entry)).not.toContain(forged);
      expect((await getGroup(app, w.key, 'fp-0')).state).toBe('open');
    });

    it('stores a signed body replayed under fresh delivery ids once, and applies it once', async () => {
      const w = await world(app);
      const signature = hubSignature(w.secret, w.raw);
      const deliver = (id: string) =>
        app.http().post(`/webhooks/jira/${w.key}`).set('Content-Type', 'application/json')
          .set('X-Hub-Signature', signature).set('X-Atlassian-Webhook-Identifier', id).send(w.raw);

      const answers = [];
      for (const id of ['first-id', 'fresh-id-1', 'fresh-id-2']) answers.push(await deliver(id));
      expect(answers.map((r) => [r.status, r.body])).toEqual([
        [202, { status: 'accepted' }], [202, { status: 'duplicate' }], [202, { status: 'duplicate' }],
      ]);
      // At once too: the deliveries may share one intake statement.
      const together = await Promise.all(['fresh-id-3', 'fresh-id-4', 'fresh-id-5'].map(deliver));
      expect(together.map((r) => [r.status, r.body])).toEqual(Array(3).fill([202, { status: 'duplicate' }]));
      await waitOutboxIdle(app, w.projectId);
      const stored: Array<{ n: string }> = await app.dataSource.query(`SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = $1`, [w.projectId]);
      expect(Number(stored[0].n)).toBe(1);
      expect((await getGroup(app, w.key, 'fp-0')).state).toBe('resolved');
      expect(await activity(app, w.key, { fingerprint: 'fp-0', kind: 'state.changed', source: 'jira' })).toHaveLength(1);

      // The next change of the issue is a new body: taken.
      sim.transition(w.key0, 'To Do');
      const [reopened] = sim.pendingWebhooks.splice(0);
      expect((await postWebhook(app, w.key, reopened.body, { secret: w.secret }).expect(202)).body).toEqual({ status: 'accepted' });
      await waitOutboxIdle(app, w.projectId);
      expect((await getGroup(app, w.key, 'fp-0')).state).toBe('open');
    });

    it('answers an unknown project and a project without Jira with the same 404', async () => {
      const bare = await createProject(app);
      const withJira = await world(app);
      const send = (key: string, style: 'hmac' | 'query') => postWebhook(app, key, withJira.event.body, { secret: withJira.secret, style });
      for (const style of ['hmac', 'query'] as const) {
        const unknown = await send('no-such-project', style);
        const noJira = await send(bare.key, style);
        expect([unknown.status, noJira.status]).toEqual([404, 404]);
        expect(noJira.body).toEqual(unknown.body);
        expect(unknown.body).toMatchObject({ statusCode: 404, code: 'WEBHOOK_NOT_FOUND' });
        expect(JSON.stringify(unknown.body)).not.toContain('no-such-project');
      }
    });
  });

  describe('with the per-address limit (20 rejected deliveries a minute)', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ env: { WEBHOOK_REJECTIONS_PER_MINUTE: '20' } });
    });
    afterAll(async () => {
      await app.stop();
    });

    it('answers 429 with Retry-After past the limit, without touching the database, and still takes genuine deliveries', async () => {
      const w = await world(app);
      const forged = { secret: `${w.secret}-forged` };
      for (let i = 0; i < 20; i++) await postWebhook(app, w.key, w.event.body, forged).expect(401);
      const limited = await postWebhook(app, w.key, w.event.body, forged);
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'WEBHOOK_RATE_LIMITED' });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      for (let i = 0; i < 30; i++) await postWebhook(app, w.key, w.event.body, forged).expect(429);
      // Unknown projects are refused the same way (they cost a look-up each).
      await postWebhook(app, 'no-such-project', w.event.body, forged).expect(429);
      expect(await rejections(app, w.projectId)).toBe(20);

      // The project's own signed delivery still gets through from the same address.
      await postWebhook(app, w.key, w.event.body, { secret: w.secret }).expect(202);
      await waitOutboxIdle(app, w.projectId);
      expect((await getGroup(app, w.key, 'fp-0')).state).toBe('resolved');
    });
  });
});
