import { GroupState } from '@app/database/entities';
import { StatusMappingEntry } from '@app/modules/jira-settings/jira-settings';
import { stateForStatus } from '@app/modules/sync/mapping/state-mapping';

export interface StatusRef {
  name: string;
  category?: string;
}

interface Seen {
  at: number;
  to: StatusRef[];
}

/** How long a status's transitions are trusted: workflows change rarely, but they do change. */
const TTL_MS = 15 * 60_000;
/** Bounds on what is remembered, so a site with many workflows cannot grow it without end. */
const MAX_INTEGRATIONS = 500;
const MAX_STATUSES = 200;

const norm = (name: string) => name.toLowerCase();

/**
 * Whose workflow an issue follows, as the memory keys it: the integration's, in the issue's Jira project
 * (its key's prefix). With routes, one integration's tickets live in several projects, each with its own workflow.
 */
export const workflowOf = (projectId: string, issueKey: string): string => `${projectId}:${issueKey.replace(/-\d+$/, '').toUpperCase()}`;

/**
 * The workflow as discovered, per integration: which statuses each status was seen to lead to. Jira
 * only lists the transitions of an issue's current status, so the graph is learnt one status at a
 * time as issues move; it guides a walk towards statuses from which the target was seen reachable.
 * In memory only: a new process learns it again.
 */
export class WorkflowMemory {
  private readonly graphs = new Map<string, Map<string, Seen>>();

  constructor(private readonly now: () => number = Date.now) {}

  learn(integration: string, from: string, to: StatusRef[]): void {
    let graph = this.graphs.get(integration);
    if (!graph) {
      if (this.graphs.size >= MAX_INTEGRATIONS) this.graphs.delete(this.graphs.keys().next().value!);
      graph = new Map();
    }
    this.graphs.delete(integration);
    this.graphs.set(integration, graph); // most recently used last
    if (!graph.has(norm(from)) && graph.size >= MAX_STATUSES) graph.delete(graph.keys().next().value!);
    graph.set(norm(from), { at: this.now(), to });
  }

  /**
   * Fewest known moves from `from` to a status meaning `state` (0: it means it already), or undefined
   * when no remembered path leads there within `maxMoves`.
   */
  distance(integration: string, from: StatusRef, state: GroupState, mapping: StatusMappingEntry[], maxMoves: number): number | undefined {
    const graph = this.graphs.get(integration);
    const seen = new Set([norm(from.name)]);
    let frontier = [from];
    for (let d = 0; d <= maxMoves && frontier.length; d++) {
      if (frontier.some((s) => stateForStatus(s, mapping) === state)) return d;
      const next: StatusRef[] = [];
      for (const s of frontier) {
        const known = graph?.get(norm(s.name));
        if (!known || this.now() - known.at > TTL_MS) continue;
        for (const t of known.to) if (!seen.has(norm(t.name))) (seen.add(norm(t.name)), next.push(t));
      }
      frontier = next;
    }
    return undefined;
  }
}
