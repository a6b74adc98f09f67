// createRules, as pure decisions: which groups the ticket rules look at after an ingest and whether their ticket
// is due (docs/behaviour.md, "Creation rules"). TicketRulesService applies them in the ingestion transaction.
import { TicketState } from '@app/database/entities';
import { conditionsHold, ConditionSubject } from '@app/modules/conditions';
import { CreateRules } from '@app/modules/jira-settings/jira-settings';

/** A group after an ingest, as the rules see it. */
export interface RuleCandidate {
  ticketRef: string | null;
  ticketState: TicketState | null;
  /** Occurrences in all. */
  count: number;
  /** A report of this request regressed it. */
  regressed: boolean;
}

/** No ticket, none being created, none skipped or failed: the group may still get its automatic ticket as a new group. */
export const awaitsTicket = (g: Pick<RuleCandidate, 'ticketRef' | 'ticketState'>): boolean => !g.ticketRef && !g.ticketState;

/**
 * Regressed without a ticket: none linked and none being created. A group skipped by the hourly limit gets one
 * now; a failed creation stays with a person (Failures, "Retry"), since Jira refused it once already.
 */
export const regressedWithoutTicket = (g: RuleCandidate): boolean => g.regressed && !g.ticketRef && (g.ticketState === null || g.ticketState === 'skipped');

/**
 * Do the counts make the group's ticket due, before `when` and the hourly limit? As a new group (onNewGroup): once
 * it has `minCount` occurrences in all and, with a threshold, `threshold.count` within its window (`recent`), so
 * minCount stays a floor on the total. As a regression (onRegression): at once, whatever the counts.
 */
export function ticketDue(g: RuleCandidate, rules: CreateRules, recent: number): boolean {
  if (rules.onRegression && regressedWithoutTicket(g)) return true;
  if (!rules.onNewGroup || !awaitsTicket(g) || g.count < rules.minCount) return false;
  return !rules.threshold || recent >= rules.threshold.count;
}

/**
 * Do the `when` rows hold for the group as stored? A row that cannot be evaluated (a pattern saved before the
 * rules refused it) does not hold: the group waits rather than the report failing.
 */
export function whenHolds(rules: CreateRules, subject: ConditionSubject, versionAttribute: string): boolean {
  if (rules.when.length === 0) return true;
  try {
    return conditionsHold(rules.when, subject, { versionAttribute });
  } catch {
    return false;
  }
}
