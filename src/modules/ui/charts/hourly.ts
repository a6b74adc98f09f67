/** The last hours, one slot per hour, and counts put into them: the x axis of the status charts. */

export interface HourSlot {
  /** Start of the hour. */
  start: Date;
  /** "14:00" (UTC). */
  label: string;
}

const HOUR_MS = 3_600_000;

/** `hours` slots ending with the hour that holds `now`, oldest first. */
export function hourSlots(now: Date, hours: number): HourSlot[] {
  const current = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return Array.from({ length: hours }, (_, i) => {
    const start = new Date(current - (hours - 1 - i) * HOUR_MS);
    return { start, label: `${start.toISOString().slice(11, 13)}:00` };
  });
}

/**
 * For each slot, one value per series: the sum of the rows of that hour whose `kind` the
 * series takes. Rows outside the slots are left out.
 */
export function countsByHour(
  slots: HourSlot[],
  rows: Array<{ hour: Date; kind: string; count: number }>,
  series: Array<{ kinds: string[] }>,
): number[][] {
  const index = new Map(slots.map((s, i) => [s.start.getTime(), i]));
  const out = slots.map(() => series.map(() => 0));
  for (const r of rows) {
    const i = index.get(Math.floor(r.hour.getTime() / HOUR_MS) * HOUR_MS);
    if (i === undefined) continue;
    series.forEach((s, j) => {
      if (s.kinds.includes(r.kind)) out[i][j] += r.count;
    });
  }
  return out;
}
