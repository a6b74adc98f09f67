import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { JiraSimulator } from '../jira-sim';
import { ChildService, startChildService } from '../support/child-service';
import { createTestDatabase } from '../support/databases';
import { startSim } from '../support/jira';
import { eventually } from '../support/test-app';
import { redisUrl, runId, testMode } from '../support/test-env';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const mode = testMode();

/** SIGTERM while a request and a job are in flight: both finish, the process exits 0, nothing is left half-done. */
describe(`graceful shutdown (${mode})`, () => {
  let sim: JiraSimulator;
  const children: ChildService[] = [];
  let dataDir: string | undefined;
  afterAll(async () => {
    for (const c of children) if (c.running) await c.kill('SIGKILL');
    await sim?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes in-flight HTTP requests and jobs on SIGTERM, then exits 0', async () => {
    sim = await startSim({ flavour: 'cloud' });
    const env: Record<string, string> = { ROLE: 'all', ADMIN_TOKEN, RESYNC_INTERVAL_SECONDS: '0' };
    let databaseUrl: string | undefined;
    if (mode === 'postgres') {
      databaseUrl = await createTestDatabase();
      Object.assign(env, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl(), QUEUE_PREFIX: `cbtest-${runId()}-drain-${process.pid}`, DATA_DIR: mkdtempSync(join(tmpdir(), 'cb-drain-')) });
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'cb-drain-'));
      env.DATA_DIR = dataDir;
    }
    const child = await startChildService({ env });
    children.push(child);
    await child.admin('post', '/api/v1/projects').send({ key: 'drain', name: 'Drain' }).expect(201);
    await child
      .admin('put', '/api/v1/projects/drain/integrations/jira')
      .send({ apiUrl: sim.apiUrl, auth: { type: 'basic', email: sim.credentials.email, apiToken: sim.credentials.apiToken }, projectKey: 'CHK', subject: '{{title}}' })
      .expect(200);
    await child.admin('post', '/api/v1/projects/drain/groups').send({ fingerprint: 'warm', title: 'Warm up' }).expect(201);
    await eventually(async () => sim.listIssues().length === 1, 20_000);

    sim.faults.latency(1_500); // every Jira call now takes 1.5 s
    const inFlight = child.admin('post', '/api/v1/projects/drain/integrations/jira/test').then((r) => r);
    await child.admin('post', '/api/v1/projects/drain/groups').send({ fingerprint: 'late', title: 'In flight' }).expect(201);
    await eventually(async () => sim.requests.some((r) => r.method === 'POST' && r.path.endsWith('/issue') && (r.body as { fields?: { summary?: string } })?.fields?.summary === 'In flight'), 10_000, 20);
    const exited = child.kill('SIGTERM');

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body.checks.length).toBeGreaterThan(0);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(sim.listIssues().filter((i) => i.fields.summary === 'In flight')).toHaveLength(1);

    // The job that was running finished before the exit: its row is done (read before any restart)...
    if (databaseUrl) {
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
      const { rows } = await db.query(`SELECT status FROM outbox WHERE kind = 'ticket.create'`);
      await db.end();
      expect(rows.map((r) => r.status).sort()).toEqual(['done', 'done']);
    }
    // ...and the group is linked at once after a restart (an interrupted job would stay claimed until its lock lapsed, JOB_LOCK_SECONDS).
    const restarted = await startChildService({ env });
    children.push(restarted);
    const group = (await restarted.admin('get', '/api/v1/projects/drain/groups/late').expect(200)).body;
    expect(group.ticket?.key).toBe(sim.listIssues().find((i) => i.fields.summary === 'In flight')!.key);
    await restarted.stop();
  }, 120_000);
});
