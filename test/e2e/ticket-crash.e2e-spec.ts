import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JiraSimulator } from '../jira-sim';
import { listGroups } from '../support/groups';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { ChildService, startChildService } from '../support/child-service';
import { configureJira, issuesWithLabel, startSim } from '../support/jira';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';
import { testMode } from '../support/test-env';

/**
 * kill -9 in the middle of a run of ticket creations, then a restart: every group
 * still ends up with exactly one Jira issue.
 *
 * - postgres mode: the test's own app serves the API (ROLE=api); jobs run in a
 *   child ROLE=worker process on the same database, Redis and queue prefix. The
 *   worker is killed and a new one started.
 * - embedded mode: the whole service (ROLE=all, PGlite in its DATA_DIR) is the
 *   child; it is killed and started again on the same DATA_DIR.
 *
 * The kill lands while creates are in flight: the simulator answers every request
 * 150 ms late but makes the change first, so killing as soon as a new issue shows
 * in the simulator leaves at least one issue whose group was never linked. Its
 * outbox row stays claimed until its lock lapses (JOB_LOCK_SECONDS: the dead process no
 * longer renews it; docs/jobs.md), then the retry must find
 * the issue by its marker label instead of creating a second one.
 */

type Api = Pick<TestApp, 'admin'>;
type Group = { fingerprint: string; ticket: { key: string; id: string } | null; [k: string]: unknown };

const mode = testMode();
const GROUPS = 60;
/** Kill once this many issues exist (of GROUPS). */
const KILL_AFTER_ISSUES = 12;
const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** The outbox lock a dead worker's rows stay claimed for, plus relay/Bull pick-up and the remaining creates. */
const RECOVERY_TIMEOUT_MS = 170_000;

const labelsOf = (sim: JiraSimulator) => new Set(sim.listIssues().flatMap((i) => (i.fields.labels as string[] | undefined) ?? []));

/** Resolves as soon as the simulator holds at least n issues (tight poll: the kill must land within the 150 ms latency). */
async function issuesAtLeast(sim: JiraSimulator, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sim.listIssues().length < n) {
    if (Date.now() > deadline) throw new Error(`only ${sim.listIssues().length} of ${n} issues after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const JOB_LOCK = '10';

describe(`ticket creation across a kill -9 (${mode})`, () => {
  let sim: JiraSimulator | undefined;
  let app: TestApp | undefined;
  let dataDir: string | undefined;
  const children: ChildService[] = [];

  afterAll(async () => {
    for (const c of children) await c.stop(5_000);
    await app?.stop();
    await sim?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`kill -9 of the ${mode === 'postgres' ? 'worker process' : 'service'} in the middle of a run, restart → every group has exactly one issue`, async () => {
    const t0 = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} +${((Date.now() - t0) / 1000).toFixed(1)}s`);
    sim = await startSim({ flavour: 'cloud' });
    sim.faults.latency(150);

    // Where jobs run (the process we kill), and who answers the API. A short job lock
    // (creates here take ~150 ms) lets the restarted worker take over the dead one's jobs sooner.
    let childEnv: Record<string, string>;
    if (mode === 'postgres') {
      app = await startTestApp({ env: { ROLE: 'api' } });
      childEnv = {
        ROLE: 'worker',
        DATABASE_URL: app.config.databaseUrl!,
        REDIS_URL: app.config.redisUrl!,
        QUEUE_PREFIX: app.config.queuePrefix,
        DATA_DIR: app.config.dataDir,
        ENCRYPTION_KEY: app.config.encryptionKey.toString('hex'),
        ADMIN_TOKEN,
        RESYNC_INTERVAL_SECONDS: '0',
        JOB_LOCK_SECONDS: JOB_LOCK,
      };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'crashbridge-crash-'));
      childEnv = { ROLE: 'all', DATA_DIR: dataDir, ADMIN_TOKEN, RESYNC_INTERVAL_SECONDS: '0', JOB_LOCK_SECONDS: JOB_LOCK };
    }
    const start = async () => {
      const c = await startChildService({ env: childEnv });
      children.push(c);
      return c;
    };
    let child = await start();
    let api: Api = app ?? child;
    phase('started');

    try {
      const { key } = await createProject(api as TestApp);
      await configureJira(api as TestApp, key, sim, { createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 1000 } });
      const fps = Array.from({ length: GROUPS }, (_, i) => `crash-${i}`);
      const markers = new Map(fps.map((fp) => [fp, ticketMarker(key, fp)]));
      await Promise.all(
        Array.from({ length: GROUPS / 10 }, (_, b) =>
          api
            .admin('post', `/api/v1/projects/${key}/groups`)
            .send({ groups: fps.slice(b * 10, b * 10 + 10).map((fingerprint) => ({ fingerprint, title: `Crash ${fingerprint}`, attributes: { version: '1.0' } })) })
            .expect(200),
        ),
      );
      phase('ingested');

      await issuesAtLeast(sim, KILL_AFTER_ISSUES, 60_000);
      const killed = child;
      const exit = await killed.kill('SIGKILL');
      phase(`killed at ${sim.listIssues().length} issues`);
      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      expect(killed.running).toBe(false);
      expect(() => process.kill(killed.pid, 0)).toThrow(); // no such process
      const createdBeforeKill = labelsOf(sim);
      expect(sim.listIssues().length).toBeLessThan(GROUPS);

      child = await start();
      if (!app) api = child;
      phase('restarted');

      // The kill landed mid-create: some issues exist whose groups were never linked
      // (their rows stay claimed by the dead process until the lock expires).
      const afterRestart = await listGroups(api, key);
      const orphans = afterRestart.filter((g) => !g.ticket && createdBeforeKill.has(markers.get(g.fingerprint)!)).map((g) => g.fingerprint);
      expect(orphans.length).toBeGreaterThan(0);

      const groups = await eventually(async () => {
        const byFp = new Map((await listGroups(api, key)).map((g) => [g.fingerprint, g]));
        const mine = fps.map((fp) => byFp.get(fp));
        return mine.every((g) => g?.ticket) ? (mine as Group[]) : undefined;
      }, RECOVERY_TIMEOUT_MS, 1_000);
      phase('all linked');
      await new Promise((r) => setTimeout(r, 1_500)); // a late duplicate would show now

      for (const g of groups) {
        const issues = issuesWithLabel(sim, markers.get(g.fingerprint)!);
        expect({ fp: g.fingerprint, issues: issues.map((i) => i.key) }).toEqual({ fp: g.fingerprint, issues: [g.ticket!.key] });
      }
      expect(new Set(groups.map((g) => g.ticket!.key)).size).toBe(GROUPS);
      expect(sim.listIssues()).toHaveLength(GROUPS);
      // The orphans were found by their marker, not created again.
      for (const fp of orphans) {
        const log = await api.admin('get', `/api/v1/projects/${key}/activity?fingerprint=${fp}&kind=ticket.linked`).expect(200);
        expect({ fp, linked: log.body.length }).toEqual({ fp, linked: 1 });
      }
      phase('checked');
      if (process.env.TEST_LOGS) console.log(`ticket-crash (${mode}): ${orphans.length} orphaned issue(s); ${phases.join(', ')}`);
    } catch (err) {
      const logs = children.map((c, i) => `=== child ${i + 1} (pid ${c.pid}, ROLE=${c.role}) ===\n${c.tail(60)}`).join('\n');
      (err as Error).message += `\nphases: ${phases.join(', ')}\n${logs}`;
      throw err;
    }
  }, 240_000);
});
