import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupState } from '@app/database/entities';
import { PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { ActivityService } from '@app/modules/activity/activity.service';
import { isJiraError, JiraClient, JiraTransition } from '@app/modules/jira/client';
import { StatusMappingEntry } from '@app/modules/jira-settings/jira-settings';
import { statusOf } from '@app/modules/sync/inbound/parse-issue';
import { pickTransition } from '@app/modules/sync/mapping/pick-transition';
import { stateForStatus } from '@app/modules/sync/mapping/state-mapping';
import { fillScreen } from './transition-screen';
import { StatusRef, WorkflowMemory } from './workflow-memory';

/** At most this many transitions to reach a status: a longer path means a workflow we should not guess through. */
export const MAX_HOPS = 4;
/** Attempts during which a refused transition is taken for a race with a change in Jira. */
const REFUSAL_RETRIES = 3;

const CATEGORY_ORDER: Record<string, number> = { new: 0, indeterminate: 1, done: 2 };

export interface WalkRequest {
  client: JiraClient;
  /** Whose workflow this is (workflowOf: the project id and the issue's Jira project): what was learnt of it is remembered per workflow. */
  integration: string;
  issueKey: string;
  /** The issue's status as just read. */
  from: StatusRef;
  state: GroupState;
  mapping: StatusMappingEntry[];
  /** The job's attempt number (1-based): a refusal is looked at again on the first attempts. */
  attempt: number;
  /** For activity entries. */
  subject: { projectId: string; fingerprint: string };
  /** Called before a move to a status that is not the last, and with where the issue is when that move fails. */
  onIntermediate?: (status: StatusRef) => Promise<void>;
}

export type WalkOutcome =
  /** Reached a status meaning the state, by `hops` (empty when it already meant it); `updated` is Jira's time after a walk of several moves. */
  | { kind: 'arrived'; status: StatusRef; hops: JiraTransition[]; updated?: string }
  /** No offered transition leads closer within MAX_HOPS: the issue is left where it is. */
  | { kind: 'no-path'; status: StatusRef; hops: JiraTransition[] };

const refOf = (t: JiraTransition): StatusRef => ({ name: t.to.name, category: t.to.statusCategory?.key });

/**
 * Moves a Jira issue to a status meaning a group state along the transitions Jira offers. One move
 * when a transition leads straight to a mapped status; otherwise a walk, one move at a time, re-reading
 * the issue's status and transitions before each (a retried job resumes where the last one stopped),
 * preferring a status from which the target was seen reachable, else one whose category is closer.
 * Each move fills what its screen requires (resolution); a required field it cannot fill fails the
 * job at once with an activity entry naming the transition and the field.
 */
@Injectable()
export class TransitionWalker {
  private readonly memory = new WorkflowMemory();

  constructor(
    private readonly dataSource: DataSource,
    private readonly activity: ActivityService,
  ) {}

  async walk(req: WalkRequest): Promise<WalkOutcome> {
    const { client, issueKey, state, mapping } = req;
    const visited = new Set<string>();
    const hops: JiraTransition[] = [];
    let current = req.from;
    let moved = false; // the issue was found moved by someone else since it was read, at this hop
    for (let hop = 0; ; hop++) {
      if (hop > 0) {
        const issue = await client.getIssue(issueKey, ['status', 'resolution', 'updated']);
        const status = issue && statusOf(issue.fields);
        if (!status) return { kind: 'no-path', status: current, hops };
        current = status;
        if (stateForStatus(current, mapping) === state) return { kind: 'arrived', status: current, hops, updated: issue.fields.updated };
      } else if (stateForStatus(current, mapping) === state) {
        return { kind: 'arrived', status: current, hops };
      }
      if (hop >= MAX_HOPS) return { kind: 'no-path', status: current, hops };
      visited.add(current.name.toLowerCase());
      const options = await client.getTransitions(issueKey, { withFields: true });
      this.memory.learn(req.integration, current.name, options.map(refOf));
      const direct = pickTransition(options, state, mapping);
      if (!direct && !moved) {
        // Jira lists the transitions of the status the issue has now: if someone moved it since it was read,
        // these lead from elsewhere. Look again from where it is before walking anywhere.
        const now = await client.getIssue(issueKey, ['status', 'resolution', 'updated']);
        const status = now && statusOf(now.fields);
        if (status && status.name.toLowerCase() !== current.name.toLowerCase()) {
          moved = true;
          current = status;
          if (stateForStatus(current, mapping) === state) return { kind: 'arrived', status: current, hops, updated: now.fields.updated };
          hop--;
          continue;
        }
      }
      moved = false;
      // Without a status that means the state (mapped, or by category) there is nothing to walk towards.
      const aim = mapping.some((m) => m.state === state) || stateCategory(state) !== undefined;
      const t = direct ?? (aim ? this.closer(req, options, current, visited, MAX_HOPS - hop - 1) : undefined);
      if (!t) return { kind: 'no-path', status: current, hops };
      const fill = fillScreen(t, mapping);
      if ('problem' in fill) await this.refuse(req, t, `its field ${fill.field}: ${fill.problem}`);
      const fields = 'fields' in fill ? fill.fields : {};
      if (!direct) await req.onIntermediate?.(refOf(t));
      try {
        await client.transitionIssue(issueKey, t.id, fields);
      } catch (err) {
        if (!direct) await req.onIntermediate?.(current);
        if (!isJiraError(err, 'bad_request')) throw err;
        // Someone in Jira moved the issue after its transitions were listed: look again from where it is now
        // (a few times; a transition Jira keeps refusing fails the job, naming what Jira said).
        if (req.attempt < REFUSAL_RETRIES) throw new RetryLaterError(`Jira refused the transition '${t.name}', looking again: ${err.message}`, 250);
        const fieldErrors = Object.entries(err.errors ?? {}).map(([f, m]) => `${f}: ${m}`);
        await this.refuse(req, t, fieldErrors.length ? fieldErrors.join('; ') : err.message);
      }
      hops.push(t);
      if (direct && hops.length === 1) return { kind: 'arrived', status: refOf(t), hops };
    }
  }

  /** The offered transition that leads closest to the state, by what was learnt, else by status category. */
  private closer(req: WalkRequest, options: JiraTransition[], from: StatusRef, visited: Set<string>, movesLeft: number): JiraTransition | undefined {
    const wantedCategory = stateCategory(req.state);
    let best: { t: JiraTransition; score: number } | undefined;
    for (const t of options) {
      if (visited.has(t.to.name.toLowerCase())) continue;
      const known = this.memory.distance(req.integration, refOf(t), req.state, req.mapping, movesLeft);
      const far = wantedCategory === undefined ? 1 : Math.abs((CATEGORY_ORDER[t.to.statusCategory?.key] ?? 1) - wantedCategory);
      // Staying in the category the issue is in gets it nowhere (Resolved → Closed on the way to In Progress).
      const sideways = t.to.statusCategory?.key !== undefined && t.to.statusCategory.key === from.category ? 0.5 : 0;
      // A remembered path always beats a guess; among guesses, the nearer category, then Jira's order.
      const score = known !== undefined ? known : MAX_HOPS + 1 + far + sideways;
      if (!best || score < best.score) best = { t, score };
    }
    return best?.t;
  }

  private async refuse(req: WalkRequest, t: JiraTransition, why: string): Promise<never> {
    const detail = `Jira transition '${t.name}' (to '${t.to.name}') on ${req.issueKey} was not made: ${why}. Set it in Jira or under Status mapping`;
    await this.activity.record(this.dataSource.manager, { ...req.subject, kind: 'jira.transition-blocked', source: 'worker', detail });
    throw new PermanentJobError(detail);
  }
}

function stateCategory(state: GroupState): number | undefined {
  if (state === 'open') return 0;
  if (state === 'in-progress') return 1;
  if (state === 'resolved') return 2;
  return undefined;
}
