import { ErrorGroupEntity } from '@app/database/entities';
import { DEFAULT_TIMEOUT_MS } from '@app/modules/jira/client/jira-transport';
import { DEFAULT_RETRY_OPTIONS } from '@app/modules/jira/client/retry-policy';

/**
 * Who records a create attempt on a group (TicketAttemptRepository.claim). The group's ticket job runs once at a
 * time per group (ticketCreateDedupeKey), so its runs share one claim; each backfill run has its own.
 */
export const JOB_CLAIM = 'job';
export const backfillClaim = (runId: string) => `backfill:${runId}`;

/**
 * How long another creator's create request may stay unanswered: the Jira client's whole retry budget and one
 * more request's timeout. Until then its issue may exist without any search showing it yet.
 */
export const CREATE_IN_FLIGHT_MS = DEFAULT_RETRY_OPTIONS.maxElapsedMs + DEFAULT_TIMEOUT_MS;

type Attempt = Pick<ErrorGroupEntity, 'ticketCreateAttemptedAt' | 'ticketCreateClaim'>;

/**
 * Milliseconds until `me` may look for or create the group's issue: another creator's recent attempt may still be
 * in flight (it links the issue itself when answered). A creator's own earlier attempt has ended (it is this run's
 * retry), so it needs no wait here.
 */
export function inFlightWait(group: Attempt, me: string, now = Date.now()): number {
  const at = group.ticketCreateAttemptedAt;
  if (!at || group.ticketCreateClaim === me) return 0;
  return Math.max(0, at.getTime() + CREATE_IN_FLIGHT_MS - now);
}
