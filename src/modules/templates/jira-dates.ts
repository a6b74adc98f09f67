/**
 * Dates for Jira fields.
 * - date fields take `YYYY-MM-DD`;
 * - datetime fields take `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g.
 *   `2026-11-24T09:00:00.000+0000`: the format Jira's REST API documents and
 *   returns, accepted by Cloud and Data Center. We always send UTC (`+0000`).
 *
 * Input: an ISO 8601 date (`2026-11-24`) or date-time (`2026-11-24T09:00`,
 * `...:00Z`, `...:00.123+01:00`, `...+0100`, a space instead of `T`). A
 * date-time without an offset is taken as UTC; a date alone as midnight UTC.
 * For a date field, the calendar date is the one written (no time-zone shift),
 * which is what a person reading `2026-11-24T23:30-05:00` means by the day.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

interface Parsed {
  year: number;
  month: number;
  day: number;
  /** UTC epoch milliseconds of the instant. */
  epochMs: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

export function parseIsoDate(text: string): Parsed | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? '0'), Number(m[5] ?? '0'), Number(m[6] ?? '0')];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years < 100 as written
  local.setUTCHours(hour, minute, second, ms);
  return { year, month, day, epochMs: local.getTime() - offset * 60_000 };
}

/** `YYYY-MM-DD`, or undefined when `text` is not an ISO date or date-time. */
export function toJiraDate(text: string): string | undefined {
  const p = parseIsoDate(text);
  return p && `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

/** `YYYY-MM-DDTHH:mm:ss.SSS+0000` (UTC), or undefined when `text` is not ISO 8601. */
export function toJiraDateTime(text: string): string | undefined {
  const p = parseIsoDate(text);
  if (!p) return undefined;
  const d = new Date(p.epochMs);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  return (
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
    `.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}
