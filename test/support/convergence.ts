// The convergence property test of the two-way sync (sync-convergence.e2e-spec.ts): the world,
// the random interleaving generator and the runner. Plans come from a seeded PRNG, so a failing
// case is replayed from its seed alone (CONVERGENCE_SEED=<seed>).
import { JiraSimulator, SimWebhookEvent } from '../jira-sim';
import { availableTransitions } from '../jira-sim/workflows';
import { Rng } from './random';
import { activity, getGroup, jiraWrites, linkedGroups, sleep, waitOutboxIdle } from './sync';
import { TestApp } from './test-app';

export type LocalState = 'open' | 'in-progress' | 'resolved' | 'muted';
export const LOCAL_STATES: LocalState[] = ['open', 'in-progress', 'resolved', 'muted'];
export const JIRA_STATUSES = ['To Do', 'In Progress', 'Done', "Won't Do"] as const;

/**
 * The settings every convergence project uses. "In Progress" is deliberately left unmapped so the
 * status-category fallback is exercised both ways; "Won't Do" means muted.
 */
export const CONVERGENCE_STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
  { jiraStatus: "Won't Do", state: 'muted', primary: true },
];
/** The oracle: Jira status → the state the group must end in (mapping, else category). */
export const EXPECTED_STATE: Record<string, LocalState> = { 'To Do': 'open', 'In Progress': 'in-progress', Done: 'resolved', "Won't Do": 'muted' };

/**
 * Data Center's default workflow (strict: moves take paths, resolving needs a resolution). Open and
 * Reopened both mean open; Closed means muted and takes its own resolution.
 */
export const STRICT_DC_STATUS_MAPPING = [
  { jiraStatus: 'Open', state: 'open', primary: true },
  { jiraStatus: 'Reopened', state: 'open' },
  { jiraStatus: 'In Progress', state: 'in-progress', primary: true },
  { jiraStatus: 'Resolved', state: 'resolved', primary: true },
  { jiraStatus: 'Closed', state: 'muted', primary: true, resolution: "Won't Fix" },
];
export const STRICT_DC_EXPECTED: Record<string, LocalState> = { Open: 'open', Reopened: 'open', 'In Progress': 'in-progress', Resolved: 'resolved', Closed: 'muted' };
/** Longest path between two states in that workflow (Closed → Reopened → In Progress). */
export const STRICT_DC_MOVES_PER_CHANGE = 2;

export interface SyncUser {
  /** the user here */
  local: string;
  /** accountId (Cloud) or name (Data Center) */
  jira: string;
}

/** alice is matched by email (auto-map); bob hides his email on Cloud, so he is in the user mapping. */
export function convergenceUsers(sim: JiraSimulator): SyncUser[] {
  return sim.flavour === 'cloud'
    ? [
        { local: 'alice@acme.com', jira: '5b10ac8d82e05b22cc7d4ef5' },
        { local: 'bob@acme.com', jira: '5b10ac8d82e05b22cc7d4ef6' },
      ]
    : [
        { local: 'alice@acme.com', jira: 'alice' },
        { local: 'bob@acme.com', jira: 'bob' },
      ];
}

export function convergenceSettings(sim: JiraSimulator, statusMapping: unknown[] = CONVERGENCE_STATUS_MAPPING): Record<string, unknown> {
  const bob = convergenceUsers(sim)[1];
  return {
    createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 },
    statusMapping,
    userMapping: [sim.flavour === 'cloud' ? { user: bob.local, jiraAccountId: bob.jira } : { user: bob.local, jiraUsername: bob.jira }],
    autoMapUsersByEmail: true,
  };
}

export type Step =
  | { kind: 'patch-state'; group: number; state: LocalState }
  | { kind: 'patch-assignee'; group: number; assignee: string | null }
  | { kind: 'patch-both'; group: number; state: LocalState; assignee: string | null }
  | { kind: 'jira-transition'; group: number; r: number }
  | { kind: 'jira-assign'; group: number; r: number }
  /** deliver a random subset of the pending webhooks in a random order, some twice, some kept for later */
  | { kind: 'deliver'; seed: number }
  | { kind: 'drop'; seed: number }
  | { kind: 'resync' }
  | { kind: 'settle' }
  | { kind: 'pause'; ms: number };

export interface CasePlan {
  seed: number;
  groups: number;
  steps: Step[];
}

export interface GenerateOptions {
  groups?: [number, number];
  steps?: [number, number];
  localUsers: string[];
}

/** The random interleaving for one seed: pure, so the same seed always gives the same plan. */
export function generateCase(seed: number, opts: GenerateOptions): CasePlan {
  const rng = new Rng(seed);
  const [gMin, gMax] = opts.groups ?? [2, 4];
  const [sMin, sMax] = opts.steps ?? [5, 12];
  const groups = rng.int(gMin, gMax);
  const n = rng.int(sMin, sMax);
  const assignees: Array<string | null> = [null, ...opts.localUsers];
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) {
    const group = rng.int(0, groups - 1);
    const kind = rng.weighted<Step['kind']>([
      ['patch-state', 4],
      ['patch-assignee', 3],
      ['patch-both', 1],
      ['jira-transition', 4],
      ['jira-assign', 3],
      ['deliver', 4],
      ['drop', 1],
      ['resync', 1],
      ['settle', 1],
      ['pause', 1],
    ]);
    switch (kind) {
      case 'patch-state':
        steps.push({ kind, group, state: rng.pick(LOCAL_STATES) });
        break;
      case 'patch-assignee':
        steps.push({ kind, group, assignee: rng.pick(assignees) });
        break;
      case 'patch-both':
        steps.push({ kind, group, state: rng.pick(LOCAL_STATES), assignee: rng.pick(assignees) });
        break;
      case 'jira-transition':
      case 'jira-assign':
        steps.push({ kind, group, r: rng.float() });
        break;
      case 'deliver':
      case 'drop':
        steps.push({ kind, seed: rng.int(1, 2 ** 31 - 1) });
        break;
      case 'pause':
        steps.push({ kind, ms: rng.int(1, 40) });
        break;
      default:
        steps.push({ kind } as Step);
    }
  }
  return { seed, groups, steps };
}

export interface ConvergenceWorld {
  app: TestApp;
  sim: JiraSimulator;
  projectKey: string;
  projectId: string;
  users: SyncUser[];
  /** A strict workflow: Jira-side moves follow it, the oracle maps its statuses, and a change here may take several moves. */
  strict?: { expected: Record<string, LocalState>; movesPerChange: number };
}

export interface CaseOutcome {
  seed: number;
  /** what went wrong, empty when the case passed */
  problems: string[];
  /** the plan and what happened, for the failure message */
  trace: string[];
}

interface CaseGroup {
  fp: string;
  key: string;
  id: string;
}

/**
 * Runs one plan against the world (one app, one simulator in webhookMode 'manual', one project),
 * then settles everything and checks:
 *  - agreement: for every group, state == the state of the Jira status, assignee == the mapped Jira assignee;
 *  - no bounce: per group, transitions sent to Jira ≤ state changes made here, assignments ≤ assignee changes
 *    made here (a change coming back from Jira is never sent back).
 * The case's groups are unlinked at the end so later cases' resyncs read only their own issues.
 */
export async function runCase(world: ConvergenceWorld, plan: CasePlan): Promise<CaseOutcome> {
  const { app, sim, projectKey, projectId, users } = world;
  const trace: string[] = [];
  const problems: string[] = [];
  const rng = new Rng(plan.seed ^ 0x5bd1e995);
  let lastLap = Date.now();
  const lap = (name: string) => {
    convergenceTimings[name] = (convergenceTimings[name] ?? 0) + Date.now() - lastLap;
    lastLap = Date.now();
  };
  if (sim.webhookMode !== 'manual') throw new Error('the convergence world needs webhookMode manual');

  // Fresh groups, each linked to a fresh issue (the created events are in the pending pool too).
  const fps = Array.from({ length: plan.groups }, (_, i) => `cv${plan.seed}-g${i}`);
  const keys = await linkedGroups(app, projectKey, sim, fps);
  const groups: CaseGroup[] = fps.map((fp) => {
    const key = keys.get(fp)!;
    return { fp, key, id: sim.getIssue(key)!.id };
  });
  const firstRequest = sim.requests.length;
  const [{ max: firstJob }]: Array<{ max: string | null }> = await app.dataSource.query(`SELECT max(id) AS max FROM outbox`);
  lap('setup');
  const localByJira = new Map(users.map((u) => [u.jira, u.local]));
  const jiraRef = (a: unknown): string | null => {
    if (!a || typeof a !== 'object') return null;
    const u = a as { accountId?: string; name?: string };
    return (sim.flavour === 'cloud' ? u.accountId : u.name) ?? null;
  };
  const patch = async (g: CaseGroup, body: Record<string, unknown>) => {
    const res = await app.admin('patch', `/api/v1/projects/${projectKey}/groups/${g.fp}`).send(body);
    if (res.status !== 200) problems.push(`PATCH ${g.fp} ${JSON.stringify(body)} answered ${res.status} ${JSON.stringify(res.body)}`);
  };
  const deliver = async (events: SimWebhookEvent[], r: Rng) => {
    const sends = events.map((e) => () => sim.deliver(e, { times: r.chance(0.2) ? 2 : 1, retryStart: r.int(0, 2) }));
    const statuses = r.chance(0.3) ? (await Promise.all(sends.map((s) => s()))).flat() : await sequential(sends);
    for (const s of statuses) if (s < 200 || s >= 300) problems.push(`a webhook delivery answered ${s}`);
  };

  let prevKind = 'setup';
  for (const step of plan.steps) {
    lap(prevKind === 'setup' ? 'setup' : 'step:' + prevKind);
    prevKind = step.kind;
    const g = 'group' in step ? groups[step.group] : undefined;
    switch (step.kind) {
      case 'patch-state':
        trace.push(`PATCH ${g!.fp} state=${step.state}`);
        await patch(g!, { state: step.state });
        break;
      case 'patch-assignee':
        trace.push(`PATCH ${g!.fp} assignee=${step.assignee}`);
        await patch(g!, { assignee: step.assignee });
        break;
      case 'patch-both':
        trace.push(`PATCH ${g!.fp} state=${step.state} assignee=${step.assignee}`);
        await patch(g!, { state: step.state, assignee: step.assignee });
        break;
      case 'jira-transition': {
        const current = sim.getIssue(g!.key)!.fields.status as { id: string; name: string };
        const to = pickBy(jiraTargets(sim, world, current), step.r);
        trace.push(`jira ${g!.key} (${g!.fp}) → ${to}`);
        sim.transition(g!.key, to);
        break;
      }
      case 'jira-assign': {
        const current = jiraRef(sim.getIssue(g!.key)!.fields.assignee);
        const to = pickBy([null, ...users.map((u) => u.jira)].filter((u) => u !== current), step.r);
        trace.push(`jira ${g!.key} (${g!.fp}) assignee → ${to}`);
        sim.assign(g!.key, to);
        break;
      }
      case 'deliver': {
        const r = new Rng(step.seed);
        const pending = sim.pendingWebhooks;
        const chosen = pending.filter(() => r.chance(0.6));
        // Most chosen events leave the queue; a few stay to be delivered again later (a late duplicate).
        for (const e of chosen) if (!r.chance(0.15)) pending.splice(pending.indexOf(e), 1);
        r.shuffle(chosen);
        trace.push(`deliver ${chosen.map((e) => describeEvent(e)).join(', ') || '(none)'}`);
        await deliver(chosen, r);
        break;
      }
      case 'drop': {
        const r = new Rng(step.seed);
        const pending = sim.pendingWebhooks;
        const dropped = pending.filter(() => r.chance(0.5));
        for (const e of dropped) pending.splice(pending.indexOf(e), 1);
        trace.push(`drop ${dropped.map((e) => describeEvent(e)).join(', ') || '(none)'}`);
        break;
      }
      case 'resync': {
        const res = await app.admin('post', `/api/v1/projects/${projectKey}/integrations/jira/resync`);
        trace.push(`resync → ${res.status} ${JSON.stringify(res.body)}`);
        if (res.status !== 200) problems.push(`resync answered ${res.status} ${JSON.stringify(res.body)}`);
        break;
      }
      case 'settle':
        trace.push('settle');
        await waitOutboxIdle(app, projectId);
        break;
      case 'pause':
        trace.push(`pause ${step.ms} ms`);
        await sleep(step.ms);
        break;
    }
  }

  lap('step:' + prevKind);
  // Settle: deliver whatever is left (echoes of the outbound jobs included), drain the outbox, repeat
  // until nothing is pending; then one final reconciliation.
  for (let round = 0; ; round++) {
    await waitOutboxIdle(app, projectId);
    if (sim.pendingWebhooks.length === 0) break;
    if (round > 20) {
      problems.push(`webhooks keep coming after ${round} rounds: ping-pong?`);
      break;
    }
    const left = sim.pendingWebhooks.splice(0);
    trace.push(`final deliver ${left.map((e) => describeEvent(e)).join(', ')}`);
    rng.shuffle(left);
    await deliver(left, rng);
  }
  const resync = await app.admin('post', `/api/v1/projects/${projectKey}/integrations/jira/resync`);
  trace.push(`final resync → ${resync.status} ${JSON.stringify(resync.body)}`);
  if (resync.status !== 200) problems.push(`final resync answered ${resync.status}`);
  await waitOutboxIdle(app, projectId);
  if (sim.pendingWebhooks.length > 0) problems.push(`the final resync caused Jira writes: ${sim.pendingWebhooks.map(describeEvent).join(', ')}`);

  lap('settle');
  const failed: Array<{ kind: string; last_error: string }> = await app.dataSource.query(
    `SELECT kind, last_error FROM outbox WHERE project_id = $1 AND status = 'failed' AND id > $2`,
    [projectId, firstJob ?? 0],
  );
  for (const f of failed) problems.push(`a ${f.kind} job failed: ${f.last_error}`);
  const writeTraces: string[] = [];
  for (const g of groups) {
    const view = await getGroup(app, projectKey, g.fp);
    const issue = sim.getIssue(g.key)!;
    const status = (issue.fields.status as { name: string }).name;
    const jiraAssignee = jiraRef(issue.fields.assignee);
    const expected = { state: (world.strict?.expected ?? EXPECTED_STATE)[status], assignee: jiraAssignee === null ? null : localByJira.get(jiraAssignee) ?? `?${jiraAssignee}` };
    const writes = jiraWrites(sim, g, firstRequest);
    if (view.state !== expected.state || view.assignee !== expected.assignee) {
      problems.push(`${g.fp}/${g.key}: service has {state: ${view.state}, assignee: ${view.assignee}} but Jira has {status: ${status}, assignee: ${jiraAssignee}} → expected {state: ${expected.state}, assignee: ${expected.assignee}}`);
    }
    const shown = writes.writes.map((r) => `${r.method} ${r.path.replace(/^.*\/issue\//, '')} ${JSON.stringify(r.body)} → ${r.status}`);
    writeTraces.push(`${g.fp}/${g.key} Jira writes: ${shown.join('; ') || '(none)'}`);
    const local = await activity(app, projectKey, { fingerprint: g.fp, source: 'api', limit: 500 });
    const stateChanges = local.filter((a) => a.kind === 'state.changed').length;
    const assigneeChanges = local.filter((a) => a.kind === 'assignee.changed').length;
    const movesPerChange = world.strict?.movesPerChange ?? 1;
    if (writes.transitions.length > stateChanges * movesPerChange) {
      problems.push(`${g.fp}/${g.key}: ${writes.transitions.length} transition(s) sent to Jira for ${stateChanges} state change(s) made here (at most ${movesPerChange} each)`);
    }
    if (writes.assignments.length > assigneeChanges) {
      problems.push(`${g.fp}/${g.key}: ${writes.assignments.length} assignment(s) sent to Jira for ${assigneeChanges} assignee change(s) made here`);
    }
  }

  if (problems.length) trace.push(...writeTraces);
  lap('verify');
  for (const g of groups) await app.admin('delete', `/api/v1/projects/${projectKey}/groups/${g.fp}/ticket`).expect(204);
  lap('cleanup');
  return { seed: plan.seed, problems, trace };
}

/** Milliseconds spent per phase and per step kind over all cases run so far (CONVERGENCE_VERBOSE prints them). */
export const convergenceTimings: Record<string, number> = {};

/** Where a person in Jira can move the issue: any other status, or in a strict workflow the ones its status offers. */
function jiraTargets(sim: JiraSimulator, world: ConvergenceWorld, current: { id: string; name: string }): string[] {
  if (!world.strict) return JIRA_STATUSES.filter((s) => s !== current.name);
  const w = sim.workflow;
  return availableTransitions(w, current.id).map((t) => w.statuses.find((s) => s.id === t.to)!.name);
}

function pickBy<T>(items: readonly T[], r: number): T {
  return items[Math.min(items.length - 1, Math.floor(r * items.length))];
}

async function sequential<T>(fns: Array<() => Promise<T[]>>): Promise<T[]> {
  const out: T[] = [];
  for (const f of fns) out.push(...(await f()));
  return out;
}

/** "CHK-3 updated@1764…(status,assignee)" for traces. */
export function describeEvent(e: SimWebhookEvent): string {
  const b = e.body as { webhookEvent?: string; issue?: { key?: string }; changelog?: { items?: Array<{ field: string }> } };
  const fields = b.changelog?.items?.map((i) => i.field).join(',');
  return `${b.issue?.key}:${String(b.webhookEvent).replace('jira:issue_', '')}@${e.timestamp}${fields ? `(${fields})` : ''}`;
}