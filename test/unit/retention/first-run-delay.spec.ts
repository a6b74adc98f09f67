import { FIRST_RUN_WITHOUT_HISTORY_MS, firstRunDelayMs } from '@app/modules/retention/retention.scheduler';

describe('firstRunDelayMs', () => {
  const hour = 3_600_000;
  const now = new Date('2026-12-06T10:00:00Z');

  it('waits out what is left of the interval since the last run anywhere', () => {
    expect(firstRunDelayMs(new Date(now.getTime() - 20 * 60_000), now, hour)).toBe(40 * 60_000);
  });

  it('runs at once when the last run is an interval or more ago (a process restarted more often than the interval)', () => {
    expect(firstRunDelayMs(new Date(now.getTime() - 3 * hour), now, hour)).toBe(0);
  });

  it('never waits longer than one interval, even when the last run seems to lie in the future (a clock step)', () => {
    expect(firstRunDelayMs(new Date(now.getTime() + 5 * hour), now, hour)).toBe(hour);
  });

  it('runs soon with no run on record, and within the interval when that is shorter', () => {
    expect(firstRunDelayMs(null, now, 24 * hour)).toBe(FIRST_RUN_WITHOUT_HISTORY_MS);
    expect(firstRunDelayMs(null, now, 60_000)).toBe(60_000);
  });
});
