import { ErrorGroupEntity, GroupState } from '@app/database/entities';

/**
 * Moves a group to a state with the bookkeeping every path needs (a person's
 * PATCH, a Jira event, a regression): entering resolved stamps resolvedAt;
 * leaving it clears resolvedAt and resolvedUntil.
 */
export function setGroupState(g: ErrorGroupEntity, state: GroupState, now = new Date()): boolean {
  if (g.state === state) return false;
  g.state = state;
  if (state === 'resolved') {
    g.resolvedAt = now;
  } else {
    g.resolvedAt = null;
    g.resolvedUntil = null;
  }
  return true;
}
