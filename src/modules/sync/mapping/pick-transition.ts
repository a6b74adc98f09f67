import { GroupState } from '@app/database/entities';
import { StatusMappingEntry } from '@app/modules/jira-settings/jira-settings';
import { stateForStatus, targetStatuses } from './state-mapping';

export interface TransitionOption {
  id: string;
  name: string;
  to: { id?: string; name: string; statusCategory?: { key: string } };
}

/**
 * The transition that brings the issue to the state: one whose target is the
 * primary mapped status (SpiraPlan's "primary" status for reverse sync), else
 * another mapped status, else the first target of the state's category that no
 * mapping assigns to a different state (so "Won't Do" is never picked for resolved
 * when it means muted).
 */
export function pickTransition<T extends TransitionOption>(options: T[], state: GroupState, mapping: StatusMappingEntry[]): T | undefined {
  const { names, category } = targetStatuses(state, mapping);
  for (const name of names) {
    const hit = options.find((o) => o.to.name.toLowerCase() === name.toLowerCase());
    if (hit) return hit;
  }
  if (!category) return undefined;
  return options.find((o) => o.to.statusCategory?.key === category && stateForStatus({ name: o.to.name, category }, mapping) === state);
}
