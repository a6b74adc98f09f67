// Jira as companies configure its workflows: transition screens that require a resolution (Cloud's
// 'resolution-screen'), Data Center's default workflow with its missing direct moves ('jira'), and an
// issue resolved in a status outside the done category.
import { JiraSimulator } from '../jira-sim';
import { DC_STATUSES, SimWorkflow, workflowByName } from '../jira-sim/workflows';
import { startSim } from '../support/jira';
import { activity, connectSync, getGroup, jiraWrites, settleWebhooks, SyncProject, waitOutboxIdle } from '../support/sync';
import { eventually, startTestApp, TestApp } from '../support/test-app';

const MAPPINGS = {
  // Data Center: the resolution of Resolved is named; Closed means muted, with its own resolution.
  datacenter: [
    { jiraStatus: 'Open', state: 'open', primary: true },
    { jiraStatus: 'Reopened', state: 'open' },
    { jiraStatus: 'In Progress', state: 'in-progress', primary: true },
    { jiraStatus: 'Resolved', state: 'resolved', primary: true, resolution: 'Fixed' },
    { jiraStatus: 'Closed', state: 'muted', primary: true, resolution: "Won't Fix" },
  ],
  // Cloud: Done takes the default resolution (Done), Won't Do its own.
  cloud: [
    { jiraStatus: 'To Do', state: 'open', primary: true },
    { jiraStatus: 'Done', state: 'resolved', primary: true },
    { jiraStatus: "Won't Do", state: 'muted', primary: true, resolution: "Won't Do" },
  ],
};

const RESOLVED = { datacenter: { status: 'Resolved', resolution: 'Fixed' }, cloud: { status: 'Done', resolution: 'Done' } };
const OPEN = { datacenter: 'Reopened', cloud: 'To Do' };

for (const flavour of ['datacenter', 'cloud'] as const) {
  describe(`Jira workflows (${flavour}, ${flavour === 'cloud' ? 'resolution-screen' : 'jira'})`, () => {
    let app: TestApp;
    let sim: JiraSimulator;
    let p: SyncProject;
    let n = 0;
    const statusOf = (key: string) => (sim.getIssue(key)!.fields.status as { name: string }).name;
    const resolutionOf = (key: string) => (sim.getIssue(key)!.fields.resolution as { name: string } | null)?.name ?? null;
    const patch = (fp: string, body: Record<string, unknown>) => app.admin('patch', `/api/v1/projects/${p.key}/groups/${fp}`).send(body).expect(200);

    /** A new group with a new ticket, created by the bridge. */
    async function ticketed(): Promise<{ fp: string; key: string }> {
      const fp = `wf-${flavour}-${++n}`;
      await app.admin('post', `/api/v1/projects/${p.key}/groups`).send({ fingerprint: fp, title: `Crash ${fp}` }).expect(201);
      await app.admin('post', `/api/v1/projects/${p.key}/groups/${fp}/ticket`).send({}).expect((r) => expect([200, 201, 202]).toContain(r.status));
      const g = await eventually(async () => (await getGroup(app, p.key, fp)).ticket, 20_000);
      return { fp, key: g.key };
    }

    beforeAll(async () => {
      sim = await startSim({ flavour, workflow: flavour === 'cloud' ? 'resolution-screen' : 'jira' });
      app = await startTestApp();
      p = await connectSync(app, sim, { statusMapping: MAPPINGS[flavour], regression: { reopenJira: true, comment: true } });
    });
    afterAll(async () => {
      await app?.stop();
      await sim?.stop();
    });
    afterEach(() => sim.setWorkflow(flavour === 'cloud' ? 'resolution-screen' : 'jira'));

    it('resolves the issue with a resolution, and walks it back when the group is reopened here', async () => {
      const { fp, key } = await ticketed();
      await patch(fp, { state: 'resolved' });
      await settleWebhooks(app, sim, p.projectId);
      expect({ status: statusOf(key), resolution: resolutionOf(key) }).toEqual(RESOLVED[flavour]);

      await patch(fp, { state: 'open' });
      await settleWebhooks(app, sim, p.projectId);
      expect(statusOf(key)).toBe(OPEN[flavour]);
      expect(resolutionOf(key)).toBeNull();
      expect((await getGroup(app, p.key, fp)).state).toBe('open');
    });

    it("takes a state's own resolution, and walks a path where there is no direct move", async () => {
      const { fp, key } = await ticketed();
      await patch(fp, { state: 'muted' });
      await settleWebhooks(app, sim, p.projectId);
      expect(statusOf(key)).toBe(flavour === 'cloud' ? "Won't Do" : 'Closed');
      expect(resolutionOf(key)).toBe(flavour === 'cloud' ? "Won't Do" : "Won't Fix");

      const before = sim.requests.length;
      await patch(fp, { state: 'in-progress' });
      await settleWebhooks(app, sim, p.projectId);
      expect(statusOf(key)).toBe('In Progress');
      // Data Center has no Closed → In Progress: Closed → Reopened → In Progress, each move once.
      const moves = jiraWrites(sim, { key }, before).transitions.filter((r) => r.status === 204);
      expect(moves).toHaveLength(flavour === 'cloud' ? 1 : 2);
      // The echo of the move on the way does not move the group.
      expect((await getGroup(app, p.key, fp)).state).toBe('in-progress');
      const moved = await activity(app, p.key, { fingerprint: fp, kind: 'jira.transitioned' });
      if (flavour === 'datacenter') expect(moved[0].detail).toContain("via 'Reopened'");
    });

    it('reopens the issue on a regression, with exactly one comment', async () => {
      const { fp, key } = await ticketed();
      await patch(fp, { state: 'resolved' });
      await settleWebhooks(app, sim, p.projectId);
      expect(statusOf(key)).toBe(RESOLVED[flavour].status);
      await app.admin('post', `/api/v1/projects/${p.key}/groups`).send({ fingerprint: fp, title: `Crash ${fp}` }).expect(200);
      await eventually(async () => statusOf(key) === OPEN[flavour] && sim.getIssue(key)!.comments.length === 1, 20_000);
      await settleWebhooks(app, sim, p.projectId);
      expect(sim.getIssue(key)!.comments).toHaveLength(1);
      expect(await getGroup(app, p.key, fp)).toMatchObject({ state: 'open' });
    });

    it('fails at once, naming the transition and the field, when a required field cannot be filled', async () => {
      const { fp, key } = await ticketed();
      sim.setWorkflow(withResolutions(flavour, []));
      const before = sim.requests.length;
      await patch(fp, { state: 'resolved' });
      await waitOutboxIdle(app, p.projectId);
      const failed = await failedJobs(app, p.projectId);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ kind: 'jira.sync', attempts: 1 });
      expect(jiraWrites(sim, { key }, before).transitions).toHaveLength(0);
      const [blocked] = await activity(app, p.key, { fingerprint: fp, kind: 'jira.transition-blocked' });
      expect(blocked.detail).toContain(flavour === 'cloud' ? "'Done'" : "'Resolve Issue'");
      expect(blocked.detail).toContain('Resolution');
      await clearFailed(app, p.projectId);
    });

    it('says at run time that a mapped resolution is not offered, and does not retry', async () => {
      const { fp, key } = await ticketed();
      sim.setWorkflow(withResolutions(flavour, ['Duplicate']));
      await patch(fp, { state: 'muted' });
      await waitOutboxIdle(app, p.projectId);
      expect(await failedJobs(app, p.projectId)).toEqual([expect.objectContaining({ kind: 'jira.sync', attempts: 1 })]);
      const [blocked] = await activity(app, p.key, { fingerprint: fp, kind: 'jira.transition-blocked' });
      expect(blocked.detail).toMatch(/resolution '.+' is not offered \(offered: Duplicate\)/);
      expect(statusOf(key)).not.toBe(flavour === 'cloud' ? "Won't Do" : 'Closed');
      await clearFailed(app, p.projectId);
    });

    it('reads an issue resolved in a status outside the done category as resolved', async () => {
      const { fp, key } = await ticketed();
      sim.setWorkflow(withAwaitingRelease(flavour));
      sim.transition(key, 'Awaiting Release', { resolution: flavour === 'cloud' ? 'Done' : 'Fixed' });
      await settleWebhooks(app, sim, p.projectId);
      expect(await getGroup(app, p.key, fp)).toMatchObject({ state: 'resolved' });
      // The same after a resync (read by REST rather than from a webhook).
      await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/resync`).expect(200);
      expect(await getGroup(app, p.key, fp)).toMatchObject({ state: 'resolved' });
      sim.transition(key, flavour === 'cloud' ? 'Done' : 'Closed'); // out of the status the next workflow lacks
      await settleWebhooks(app, sim, p.projectId);
    });
  });
}

/** The flavour's strict workflow with moves into done statuses offering only these resolutions. */
function withResolutions(flavour: 'cloud' | 'datacenter', resolutions: string[]): SimWorkflow {
  const w = workflowByName(flavour === 'cloud' ? 'resolution-screen' : 'jira');
  return { ...w, transitions: w.transitions.map((t) => (t.screen?.includes('resolution') ? { ...t, resolutions } : t)) };
}

/** A status in the indeterminate category whose transition sets a resolution (a "resolved, awaiting release" step). */
function withAwaitingRelease(flavour: 'cloud' | 'datacenter'): SimWorkflow {
  const w = workflowByName(flavour === 'cloud' ? 'resolution-screen' : 'jira');
  const from = (flavour === 'cloud' ? w.statuses : DC_STATUSES).filter((s) => s.category !== 'done').map((s) => s.id);
  return {
    ...w,
    statuses: [...w.statuses, { id: '10100', name: 'Awaiting Release', category: 'indeterminate' }],
    transitions: [
      ...w.transitions,
      { id: '801', name: 'Fixed, awaiting release', from, to: '10100', screen: ['resolution'] },
      { id: '802', name: 'Released', from: ['10100'], to: flavour === 'cloud' ? w.statuses.find((s) => s.name === 'Done')!.id : '6', onResolution: 'keep' },
    ],
  };
}

async function failedJobs(app: TestApp, projectId: string): Promise<Array<{ kind: string; attempts: number }>> {
  return app.dataSource.query(`SELECT kind, attempts FROM outbox WHERE project_id = $1 AND status = 'failed'`, [projectId]);
}

/** Failed rows would count in the next test's assertions. */
async function clearFailed(app: TestApp, projectId: string): Promise<void> {
  await app.dataSource.query(`DELETE FROM outbox WHERE project_id = $1 AND status = 'failed'`, [projectId]);
}
