// A deleted project takes its webhook delivery records and waiting events with it. They have no foreign key
// (its check per inserted row was a tenth of the intake statement): the projects' delete trigger deletes them,
// and the intake statement locks the project row first (as the delete does), so a delivery taken while the project is
// being deleted is either deleted with it or refused (404), never left behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatorsPerTest } from '../support/jira';
import { connectSync, postWebhook, waitOutboxIdle } from '../support/sync';
import { startTestApp, TestApp } from '../support/test-app';

const TEMPLATE = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'jira-webhooks', 'cloud-issue-updated-status.json'), 'utf8'));

/** A distinct delivery (its own event time and identifier) about an issue no group is linked to. */
function delivery(n: number): { body: Record<string, unknown>; headers: Record<string, string> } {
  const body = structuredClone(TEMPLATE);
  delete body._source;
  delete body._note;
  body.timestamp = TEMPLATE.timestamp + n;
  body.issue.id = String(90_000 + (n % 50));
  return { body, headers: { 'X-Atlassian-Webhook-Identifier': `deletion-${n}-${Math.random()}` } };
}

describe('Webhook records of a deleted project', () => {
  let app: TestApp;
  const sim = simulatorsPerTest();

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  const left = async (projectId: string) =>
    (
      await app.dataSource.query(
        `SELECT (SELECT count(*)::int FROM webhook_deliveries WHERE project_id = $1) AS deliveries,
                (SELECT count(*)::int FROM webhook_events WHERE project_id = $1) AS events`,
        [projectId],
      )
    )[0];

  it('deletes the project\'s delivery records and waiting events, and keeps another project\'s', async () => {
    const s = await sim('cloud');
    const gone = await connectSync(app, s, {}, { register: false });
    const kept = await connectSync(app, s, {}, { register: false });
    for (const [i, p] of [gone, kept].entries()) {
      for (let n = 0; n < 5; n++) {
        const d = delivery(i * 100 + n);
        await postWebhook(app, p.key, d.body, { secret: p.secret, headers: d.headers }).expect(202);
      }
      // Events left waiting (the ones delivered above are applied and gone once the apply job is done).
      await waitOutboxIdle(app, p.projectId);
      await app.dataSource.query(
        `INSERT INTO webhook_events (project_id, issue_id, change) SELECT $1, 'waiting-' || n, '{}'::jsonb FROM generate_series(1, 3) n`,
        [p.projectId],
      );
    }
    const before = await left(gone.projectId);
    expect(before.deliveries).toBe(5);
    expect(before.events).toBe(3);
    const keptBefore = await left(kept.projectId);
    await app.admin('delete', `/api/v1/projects/${gone.key}`).expect(204);
    expect(await left(gone.projectId)).toEqual({ deliveries: 0, events: 0 });
    expect(await left(kept.projectId)).toEqual(keptBefore);
    expect(keptBefore).toEqual({ deliveries: 5, events: 3 });
  });

  it('leaves nothing behind from deliveries taken while the project is deleted: each is deleted with it or refused', async () => {
    const s = await sim('cloud');
    for (let round = 0; round < 4; round++) {
      const p = await connectSync(app, s, {}, { register: false });
      let n = round * 1_000;
      const statuses: number[] = [];
      const sender = async () => {
        for (;;) {
          const d = delivery(n++);
          const res = await postWebhook(app, p.key, d.body, { secret: p.secret, headers: d.headers });
          statuses.push(res.status);
          if (res.status === 404) return;
        }
      };
      const senders = Array.from({ length: 6 }, sender);
      // Let the senders get going, so that the delete meets intakes under way.
      while (statuses.filter((st) => st === 202).length < 10) await new Promise((r) => setTimeout(r, 5));
      await app.admin('delete', `/api/v1/projects/${p.key}`).expect(204);
      await Promise.all(senders);
      expect(statuses.every((st) => st === 202 || st === 404)).toBe(true);
      expect(await left(p.projectId)).toEqual({ deliveries: 0, events: 0 });
    }
  });
});
