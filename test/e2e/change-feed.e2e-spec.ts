import { JiraSimulator } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';

interface Change { cursor: string; type: string; fingerprint: string; at: string; changes: Record<string, any> }

const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'In Progress', state: 'in-progress', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
];

describe('change feed', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let key: string;

  const page = (k: string, after?: string, limit = 500) =>
    app.admin('get', `/api/v1/projects/${k}/changes`).query({ ...(after ? { after } : {}), limit }).expect(200).then((r) => r.body as { items: Change[]; nextCursor: string });
  /** Every change from the start, page by page. */
  async function readAll(k: string, limit = 500): Promise<Change[]> {
    const all: Change[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await page(k, after, limit);
      all.push(...p.items);
      if (p.items.length === 0) return all;
      after = p.nextCursor;
    }
  }
  const of = (changes: Change[], fp: string) => changes.filter((c) => c.fingerprint === fp).map((c) => c.type);
  const patch = (k: string, fp: string, body: object) => app.admin('patch', `/api/v1/projects/${k}/groups/${fp}`).send(body).expect(200);

  beforeAll(async () => {
    sim = await startSim({ flavour: 'cloud' });
    // A pruning run every second: the retention test ages rows and waits for it.
    app = await startTestApp({ env: { PRUNE_INTERVAL_SECONDS: '1', RETENTION_DAYS: '30' } });
    ({ key } = await createProject(app));
    const settings = await configureJira(app, key, sim, { statusMapping: STATUS_MAPPING, fixVersionSync: { enabled: true, versionAttribute: 'version' } });
    sim.registerWebhook({ url: `${app.url}/webhooks/jira/${key}`, secret: settings.webhook.secret, style: 'hmac' });
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  it('records every type from ingest, the API and Jira, and no change for a count going up', async () => {
    const group = (fp: string) => app.admin('get', `/api/v1/projects/${key}/groups/${fp}`).expect(200).then((r) => r.body);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'cf-1', attributes: { version: '2.4.0' } }).expect(201);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups: [{ fingerprint: 'cf-2' }, { fingerprint: 'cf-3' }] }).expect(200);
    const ticket = await eventually(async () => (await group('cf-1')).ticket, 20_000);
    const own = await eventually(async () => (await group('cf-3')).ticket, 20_000);
    await eventually(async () => (await group('cf-2')).ticket, 20_000);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'cf-1', count: 5 }).expect(200);

    await patch(key, 'cf-2', { state: 'in-progress', assignee: 'ana' });
    await patch(key, 'cf-2', { assignee: null });
    await app.admin('delete', `/api/v1/projects/${key}/groups/cf-3/ticket`).expect(204);
    await app.admin('post', `/api/v1/projects/${key}/groups/cf-3/ticket`).send({ key: own.key }).expect(200);

    sim.transition(ticket.key, 'Done', { fixVersions: ['2.4.1'] });
    await eventually(async () => (await group('cf-1')).state === 'resolved', 20_000);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'cf-1', attributes: { version: '2.5.0' } }).expect(200);
    await eventually(async () => sim.getIssue(ticket.key)!.comments.length === 1, 20_000);
    sim.deleteIssue(ticket.key);
    await eventually(async () => (await group('cf-1')).ticket === null, 20_000);

    const all = await readAll(key, 2);
    expect(new Set(all.map((c) => c.cursor)).size).toBe(all.length);
    expect(of(all, 'cf-1')).toEqual(['group.created', 'ticket.linked', 'group.state_changed', 'group.regressed', 'ticket.unlinked']);
    expect(of(all, 'cf-2')).toEqual(['group.created', 'ticket.linked', 'group.state_changed', 'group.assigned', 'group.assigned']);
    expect(of(all, 'cf-3')).toEqual(['group.created', 'ticket.linked', 'ticket.unlinked', 'ticket.linked']);
    const cf1 = all.filter((c) => c.fingerprint === 'cf-1');
    expect(cf1[1].changes).toEqual({ ticket: { key: ticket.key, url: ticket.url }, created: true });
    expect(cf1[2].changes).toMatchObject({ state: { from: 'open', to: 'resolved' }, resolvedUntil: { attribute: 'version', version: '2.4.1' } });
    expect(cf1[3].changes).toEqual({ state: { from: 'resolved', to: 'open' }, regressions: 1 });
    expect(all.filter((c) => c.fingerprint === 'cf-2')[4].changes).toEqual({ assignee: { from: 'ana', to: null } });
    expect(all.filter((c) => c.fingerprint === 'cf-3').slice(2).map((c) => c.changes)).toEqual([
      { ticket: { key: own.key, url: own.url } },
      { ticket: { key: own.key, url: own.url }, created: false },
    ]);

    // Reading on from the last cursor gives nothing new, and the same cursor back.
    const last = all[all.length - 1].cursor;
    expect(await page(key, last)).toEqual({ items: [], nextCursor: last });
  });

  it('has no gaps or repeats when read while 4 writers change groups concurrently', async () => {
    const { key: k } = await createProject(app);
    const writers = 4;
    const steps = 15;
    await app.admin('post', `/api/v1/projects/${k}/groups`).send({ groups: Array.from({ length: writers }, (_, w) => ({ fingerprint: `w-${w}` })) }).expect(200);
    let writing = true;
    const write = async (w: number) => {
      for (let i = 0; i < steps; i++) {
        await patch(k, `w-${w}`, { assignee: `u${i}` });
        // New groups in batches alongside: the ingest statement's rows share the numbering.
        await app.admin('post', `/api/v1/projects/${k}/groups`).send({ groups: [{ fingerprint: `n-${w}-${i}-a` }, { fingerprint: `n-${w}-${i}-b` }] }).expect(200);
      }
    };
    const seen: Change[] = [];
    const reader = (async () => {
      let after: string | undefined;
      while (writing || seen.length < writers * (1 + 3 * steps)) {
        const p = await page(k, after, 7);
        seen.push(...p.items);
        after = p.nextCursor;
        if (!writing && p.items.length === 0) break;
      }
    })();
    await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
    writing = false;
    await reader;

    expect(new Set(seen.map((c) => c.cursor)).size).toBe(seen.length);
    const stored = await readAll(k);
    expect(seen.map((c) => c.cursor)).toEqual(stored.map((c) => c.cursor));
    expect(seen).toHaveLength(writers * (1 + 3 * steps));
    for (let w = 0; w < writers; w++) {
      const assignees = seen.filter((c) => c.fingerprint === `w-${w}` && c.type === 'group.assigned').map((c) => c.changes.assignee.to);
      expect(assignees).toEqual(Array.from({ length: steps }, (_, i) => `u${i}`));
    }
  });

  it('answers 400 naming after for a cursor it did not hand out, and for a limit out of range', async () => {
    for (const after of ['nope', 'YzEuLTE', Buffer.from('c1.01').toString('base64url'), 'x'.repeat(65)]) {
      const res = await app.admin('get', `/api/v1/projects/${key}/changes`).query({ after }).expect(400);
      expect(JSON.stringify(res.body)).toContain('after');
    }
    for (const limit of [0, 501, 'x']) {
      const res = await app.admin('get', `/api/v1/projects/${key}/changes`).query({ limit }).expect(400);
      expect(JSON.stringify(res.body)).toContain('limit');
    }
    await app.admin('get', `/api/v1/projects/nope-${Date.now()}/changes`).expect(404);
  });

  it('prunes changes and delivery attempts past RETENTION_DAYS; a cursor into the pruned part still reads on', async () => {
    const { key: k } = await createProject(app);
    const pid = await projectIdOf(app, k);
    await app.admin('post', `/api/v1/projects/${k}/groups`).send({ groups: Array.from({ length: 5 }, (_, i) => ({ fingerprint: `old-${i}` })) }).expect(200);
    const before = await readAll(k);
    expect(before).toHaveLength(5);
    await app.dataSource.query(`UPDATE group_changes SET at = now() - interval '31 days' WHERE project_id = $1 AND fingerprint IN ('old-0', 'old-1', 'old-2')`, [pid]);
    await app.dataSource.query(
      `INSERT INTO notification_deliveries (project_id, change_id, delivery_id, type, fingerprint, outcome, at)
       SELECT $1, n, gen_random_uuid(), 'group.created', 'old-0', 'delivered', now() - (CASE WHEN n = 1 THEN 31 ELSE 1 END) * interval '1 day' FROM generate_series(1, 2) n`,
      [pid],
    );
    const left = async (table: string) => Number((await app.dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE project_id = $1`, [pid]))[0].n);
    await eventually(async () => (await left('group_changes')) === 2 && (await left('notification_deliveries')) === 1, 15_000);
    const rest = await page(k, before[1].cursor);
    expect(rest.items.map((c) => c.fingerprint)).toEqual(['old-3', 'old-4']);
    expect(rest.items.map((c) => c.cursor)).toEqual([before[3].cursor, before[4].cursor]);
  });
});
