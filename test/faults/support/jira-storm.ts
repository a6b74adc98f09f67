import { JiraSimulator } from '../../jira-sim';
import type { RecordedRequest } from '../../jira-sim/types';

/** What Jira says in 429 and 503 answers of the storm. */
export const STORM_RETRY_AFTER_S = 3;
/** Every REST request in a phase gets this answer; 429 and 503 carry Retry-After, 500 and 502 none. */
const PHASES = [429, 500, 503, 502] as const;
/** A timer may fire a millisecond or two early. */
const TIMER_SLACK_MS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Jira fails every REST request for `durationMs`, in four equal phases (429, 500, 503,
 * 502), through the simulator's own fault switches: counts large enough to last the
 * phase, cleared when it ends. Resolves with when the storm started and ended, and the requests
 * it answered: counted by position in the simulator's log, since a request answered in the same
 * millisecond just before the storm or just after it shares a timestamp with its edge.
 */
export async function jiraStorm(sim: JiraSimulator, durationMs: number): Promise<{ startedAt: number; endedAt: number; answered: RecordedRequest[] }> {
  const startedAt = Date.now();
  const first = sim.requests.length;
  for (const status of PHASES) {
    sim.faults.reset();
    if (status === 429 || status === 503) sim.faults.rateLimit({ requests: 1e9, retryAfterSeconds: STORM_RETRY_AFTER_S, status });
    else sim.faults.serverErrors(1e9, status);
    await sleep(durationMs / PHASES.length);
  }
  sim.faults.reset();
  return { startedAt, endedAt: Date.now(), answered: sim.requests.slice(first) };
}

const markersOf = (r: RecordedRequest) => new Set(JSON.stringify([r.query, r.body ?? null]).match(/cb-[0-9a-f]{16}/g) ?? []);

/**
 * Was Retry-After honoured? For every 429/503 answered to a request about a group
 * (its marker label in the create body or the search JQL), the next request about the
 * same group must come no sooner than Retry-After later: whether the client retried
 * the call itself or the job ran again later. Requests about no group (metadata) are
 * not attributable to one caller among the concurrent jobs, so they are not checked.
 */
export function retryAfterViolations(requests: RecordedRequest[]): { checked: number; violations: string[] } {
  const byMarker = new Map<string, RecordedRequest[]>();
  for (const r of requests) for (const m of markersOf(r)) byMarker.set(m, [...(byMarker.get(m) ?? []), r]);
  let checked = 0;
  const violations: string[] = [];
  for (const [marker, list] of byMarker) {
    list.sort((a, b) => a.at - b.at);
    for (let i = 0; i + 1 < list.length; i++) {
      const r = list[i];
      if (r.status !== 429 && r.status !== 503) continue;
      checked++;
      const gap = list[i + 1].at - r.at;
      if (gap < STORM_RETRY_AFTER_S * 1000 - TIMER_SLACK_MS) {
        violations.push(`${marker}: ${r.method} ${r.path} answered ${r.status} (Retry-After ${STORM_RETRY_AFTER_S}) then ${list[i + 1].method} ${list[i + 1].path} ${gap} ms later`);
      }
    }
  }
  return { checked, violations };
}
