import { GroupState } from '@app/database/entities';
import { StatusMappingEntry } from '@app/modules/jira-settings/jira-settings';

/** Jira's status categories and the state each one means when no mapping names the status. */
const CATEGORY_STATE: Record<string, GroupState> = { new: 'open', indeterminate: 'in-progress', done: 'resolved' };
const STATE_CATEGORY: Partial<Record<GroupState, string>> = { open: 'new', 'in-progress': 'indeterminate', resolved: 'done' };

/** One collator for every comparison: `localeCompare` with options builds a new one per call (webhook apply's hot path). */
const names = new Intl.Collator(undefined, { sensitivity: 'accent' });

export const sameName = (a: string, b: string) => a === b || names.compare(a, b) === 0;

/** Jira status → group state: the status mapping first, else the status category. */
export function stateForStatus(status: { name: string; category?: string }, mapping: StatusMappingEntry[]): GroupState | undefined {
  const mapped = mapping.find((m) => sameName(m.jiraStatus, status.name));
  if (mapped) return mapped.state;
  return status.category ? CATEGORY_STATE[status.category] : undefined;
}

/** The statuses an outbound transition may target for a state, best first: primary, other mapped, then by category. */
export function targetStatuses(state: GroupState, mapping: StatusMappingEntry[]): { names: string[]; category?: string } {
  const entries = mapping.filter((m) => m.state === state);
  const names = [...entries.filter((m) => m.primary), ...entries.filter((m) => !m.primary)].map((m) => m.jiraStatus);
  return { names, category: STATE_CATEGORY[state] };
}
