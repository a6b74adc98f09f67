import { CREATE_IN_FLIGHT_MS, inFlightWait, JOB_CLAIM, backfillClaim } from '@app/modules/tickets/creation/create-claim';

describe('inFlightWait', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  const at = (msAgo: number) => new Date(now - msAgo);

  it('no attempt, or the creator\'s own: no wait', () => {
    expect(inFlightWait({ ticketCreateAttemptedAt: null, ticketCreateClaim: null }, JOB_CLAIM, now)).toBe(0);
    expect(inFlightWait({ ticketCreateAttemptedAt: at(10), ticketCreateClaim: JOB_CLAIM }, JOB_CLAIM, now)).toBe(0);
  });

  it("another creator's recent attempt: waits until its request must have ended", () => {
    expect(inFlightWait({ ticketCreateAttemptedAt: at(1_000), ticketCreateClaim: backfillClaim('7') }, JOB_CLAIM, now)).toBe(CREATE_IN_FLIGHT_MS - 1_000);
    expect(inFlightWait({ ticketCreateAttemptedAt: at(1_000), ticketCreateClaim: JOB_CLAIM }, backfillClaim('7'), now)).toBe(CREATE_IN_FLIGHT_MS - 1_000);
    // Another backfill run is another creator.
    expect(inFlightWait({ ticketCreateAttemptedAt: at(0), ticketCreateClaim: backfillClaim('7') }, backfillClaim('8'), now)).toBe(CREATE_IN_FLIGHT_MS);
    // An attempt recorded before claims were: treated as another creator's.
    expect(inFlightWait({ ticketCreateAttemptedAt: at(5), ticketCreateClaim: null }, JOB_CLAIM, now)).toBe(CREATE_IN_FLIGHT_MS - 5);
  });

  it('an attempt older than the in-flight window: no wait', () => {
    expect(inFlightWait({ ticketCreateAttemptedAt: at(CREATE_IN_FLIGHT_MS + 1), ticketCreateClaim: backfillClaim('7') }, JOB_CLAIM, now)).toBe(0);
  });
});
