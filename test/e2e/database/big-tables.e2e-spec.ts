// The product's flows on a site with many tickets: 20,000 linked issues and 40,000 groups. Every statement they
// run finds its rows in those tables through an index; none reads a whole table, which at this size costs
// milliseconds per statement and grows with the site (the ingest statement once read every linked issue to show
// a group's ticket). PostgreSQL counts each whole-table read (pg_stat_user_tables.seq_scan), so the test
// compares the counts before and after the flows.
import { Client } from 'pg';
import { configureJira, simulatorsPerTest } from '../../support/jira';
import { getGroup, linkedGroups, settleWebhooks, waitOutboxIdle } from '../../support/sync';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../../support/test-app';
import { testMode } from '../../support/test-env';

const ROWS = 20_000;
const BIG_TABLES = ['error_groups', 'jira_issues'];
const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
];

type Scans = Record<string, number>;

describe(`the flows at ${ROWS.toLocaleString('en')} linked issues read no large table whole`, () => {
  const sim = simulatorsPerTest();
  let app: TestApp;
  afterAll(() => app?.stop());

  /**
   * Whole-table reads so far. A backend hands its counts over when its transaction ends, at most once a second,
   * or when it exits: in PostgreSQL mode the service is stopped first, so that every connection has; embedded,
   * the connections share PGlite's one session, which hands them over when asked.
   */
  async function wholeTableReads(): Promise<Scans> {
    const text = `SELECT relname, seq_scan FROM pg_stat_user_tables WHERE relname = ANY($1::text[])`;
    let rows: Array<{ relname: string; seq_scan: string }>;
    if (testMode() === 'embedded') {
      await app.dataSource.query('SELECT pg_stat_force_next_flush()');
      rows = await app.dataSource.query(text, [BIG_TABLES]);
    } else {
      const url = app.config.databaseUrl!;
      await app.stop({ keepData: true });
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        const database = new URL(url).pathname.slice(1);
        await eventually(async () => {
          const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database])).rows;
          return n === 0;
        });
        rows = (await c.query(text, [BIG_TABLES])).rows;
      } finally {
        await c.end();
      }
      // On the same port: the simulator's webhooks are registered there.
      const port = new URL(app.url).port;
      app = await startTestApp({ reuse: { databaseUrl: url, dataDir: app.config.dataDir, queuePrefix: app.config.queuePrefix }, env: { PORT: port } });
    }
    return Object.fromEntries(rows.map((r) => [r.relname, Number(r.seq_scan)]));
  }

  it('ingestion (single, batch, new groups with automatic tickets), Jira webhooks, changes made here, and reading groups', async () => {
    const s = await sim('cloud', 'auto');
    app = await startTestApp();
    const { key, ingestToken } = await createProject(app);
    const projectId = await projectIdOf(app, key);
    const settings = await configureJira(app, key, s, {
      statusMapping: STATUS_MAPPING,
      createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 1000 },
      comments: { inbound: true, outbound: false },
    });
    s.registerWebhook({ url: `${app.url}/webhooks/jira/${key}`, secret: settings.webhook.secret as string, style: 'hmac' });
    await linkedGroups(app, key, s, ['linked-0', 'linked-1']);
    await settleWebhooks(app, s, projectId);
    // The rules ticket new groups too, so a group's issue is the one it ended up linked to.
    const issueOf = async (fp: string) => (await getGroup(app, key, fp)).ticket!.key;
    const linked = new Map([['linked-0', await issueOf('linked-0')], ['linked-1', await issueOf('linked-1')]]);
    // The site's history: issues linked to groups, and as many groups without a ticket.
    await app.dataSource.query(
      `INSERT INTO jira_issues (project_id, issue_id, issue_key, url)
       SELECT $1, 'old-' || n, 'OLD-' || n, 'https://jira.example/OLD-' || n FROM generate_series(1, ${ROWS}) n`,
      [projectId],
    );
    await app.dataSource.query(
      `INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen, count, ticket_ref)
       SELECT $1, i.issue_id, 'Old crash', now(), now(), 1, i.id FROM jira_issues i WHERE i.project_id = $1 AND i.issue_id LIKE 'old-%'`,
      [projectId],
    );
    await app.dataSource.query(
      `INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen, count)
       SELECT $1, 'quiet-' || n, 'Quiet crash', now(), now(), 1 FROM generate_series(1, ${ROWS}) n`,
      [projectId],
    );
    await app.dataSource.query('ANALYZE jira_issues');
    await app.dataSource.query('ANALYZE error_groups');
    const before = await wholeTableReads();

    const ingest = (body: object) =>
      app.http().post(`/api/v1/projects/${key}/groups`).set('Authorization', `Bearer ${ingestToken}`).send(body);
    const single = await ingest({ fingerprint: 'old-17', attributes: { version: '1.0' } });
    expect(single.status).toBe(200);
    expect(single.body.ticket).toMatchObject({ key: 'OLD-17' });
    expect((await ingest({ fingerprint: 'quiet-17' })).status).toBe(200);
    expect((await ingest({ fingerprint: 'brand-new', title: 'A new crash' })).status).toBe(201);
    const batch = await ingest({ groups: [{ fingerprint: 'old-18' }, { fingerprint: 'quiet-18' }, { fingerprint: 'brand-new-2' }, { fingerprint: 'linked-0' }] });
    expect(batch.status).toBe(200);
    await waitOutboxIdle(app, projectId);
    expect((await getGroup(app, key, 'brand-new')).ticket).not.toBeNull();

    // Jira → here, and here → Jira.
    s.transition(linked.get('linked-0')!, 'Done');
    await settleWebhooks(app, s, projectId);
    await eventually(async () => (await getGroup(app, key, 'linked-0')).state === 'resolved');
    await app.admin('patch', `/api/v1/projects/${key}/groups/linked-1`).send({ state: 'resolved' }).expect(200);
    await eventually(async () => (s.getIssue(linked.get('linked-1')!)?.fields.status as { name: string }).name === 'Done');
    await settleWebhooks(app, s, projectId);

    // Reading: the list in its orders, a group, its activity and the change feed.
    for (const sort of ['-lastSeen', 'lastSeen', '-count', 'count']) await app.admin('get', `/api/v1/projects/${key}/groups?sort=${sort}&limit=50`).expect(200);
    await app.admin('get', `/api/v1/projects/${key}/groups/old-17`).expect(200);
    await app.admin('get', `/api/v1/projects/${key}/activity?limit=50`).expect(200);
    await app.admin('get', `/api/v1/projects/${key}/changes?limit=50`).expect(200);

    const after = await wholeTableReads();
    expect(after).toEqual(before);
  }, 120_000);
});
