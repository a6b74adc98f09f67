// The reports of one request, added up per fingerprint before they are written: what the upsert
// statement can add to a stored group in SQL, or, when the limits could be reached, hand to code.
import { AttributeHistograms, MAX_ATTRIBUTES_BYTES } from '@app/database/entities';
import { HOURLY_COUNT_WINDOW_HOURS } from '@app/database/repositories/group-hourly-count.repository';
import { ReportSum } from '@app/database/repositories/group.rows';
import { histogramsBytes } from '@app/modules/ingest-body/attribute-budget';
import { normalizeAttributes } from '@app/modules/ingest-body/attribute-histograms';
import { IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';
import { MAX_ATTRIBUTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/modules/ingest-body/limits';
import { reportTimes } from '@app/modules/ingest-body/merge-report';
import { ParsedItem } from '@app/modules/ingest-body/parse-ingest-body';

/**
 * All reports of one fingerprint in a request, added up (in report order): the last non-empty
 * title, callstack, classifiers and link, the histograms summed (no folding).
 */
export interface Delta extends ReportSum {
  reports: IngestGroupDto[];
}

/**
 * The accepted reports grouped by fingerprint, in order of first appearance. Sums past a value
 * cap or the byte budget are complex: even a new group must then be trimmed in code.
 */
export function addUp(items: ParsedItem[], now: Date): Delta[] {
  const byFp = new Map<string, Delta>();
  const hourOf = occurrenceHour(now);
  for (const item of items) {
    if (!item.ok) continue;
    const r = item.report;
    const count = r.count ?? 1;
    const t = reportTimes(r, now);
    const attributes = normalizeAttributes(r.attributes, count);
    const d = byFp.get(r.fingerprint);
    if (!d) {
      byFp.set(r.fingerprint, {
        fingerprint: r.fingerprint,
        title: r.title ? r.title : null,
        callstack: r.callstack && r.callstack.length > 0 ? r.callstack : null,
        classifiers: r.classifiers && r.classifiers.length > 0 ? r.classifiers : null,
        link: r.link ? r.link : null,
        count,
        firstSeen: t.firstSeen,
        lastSeen: t.lastSeen,
        attributes,
        complex: false,
        hourly: addHour(new Map(), hourOf(t.lastSeen), count),
        reports: [r],
      });
      continue;
    }
    addHour(d.hourly!, hourOf(t.lastSeen), count);
    if (r.title) d.title = r.title;
    if (r.callstack && r.callstack.length > 0) d.callstack = r.callstack;
    if (r.classifiers && r.classifiers.length > 0) d.classifiers = r.classifiers;
    if (r.link) d.link = r.link;
    d.count += count;
    if (t.firstSeen < d.firstSeen) d.firstSeen = t.firstSeen;
    if (t.lastSeen > d.lastSeen) d.lastSeen = t.lastSeen;
    d.reports.push(r);
    if (!d.complex) {
      const sum = addHistograms(d.attributes, attributes);
      if (sum) d.attributes = sum;
      else d.complex = true;
    }
  }
  for (const d of byFp.values()) if (!d.complex && histogramsBytes(d.attributes) > MAX_ATTRIBUTES_BYTES) d.complex = true;
  return [...byFp.values()];
}

/**
 * The hour a report's occurrences are charted in (ms since the epoch), or null for none: the hour of its
 * lastSeen, when the latest of them happened (arrival would pile up a backlog sent late in one hour), but
 * never later than arrival (a clock ahead). A report's count may have accumulated since its firstSeen, but
 * firstSeen may also be the first occurrence ever: the count is not spread back, it lands in lastSeen's hour.
 * Hours older than the kept window (HOURLY_COUNT_WINDOW_HOURS) are not recorded: retention would delete them.
 */
export function occurrenceHour(now: Date): (lastSeen: Date) => number | null {
  const hour = 3600_000;
  const current = Math.floor(now.getTime() / hour) * hour;
  const oldest = current - (HOURLY_COUNT_WINDOW_HOURS - 1) * hour;
  return (lastSeen) => {
    const at = Math.min(Math.floor(lastSeen.getTime() / hour) * hour, current);
    return at < oldest ? null : at;
  };
}

function addHour(hourly: Map<number, number>, hour: number | null, count: number): Map<number, number> {
  if (hour !== null && count > 0) hourly.set(hour, (hourly.get(hour) ?? 0) + count);
  return hourly;
}

/** a + b value by value, or null when the sum exceeds an attribute limit. */
function addHistograms(a: AttributeHistograms, b: AttributeHistograms): AttributeHistograms | null {
  const out = new Map<string, Map<string, number>>();
  for (const name of Object.keys(a)) out.set(name, new Map(Object.entries(a[name])));
  for (const name of Object.keys(b)) {
    let h = out.get(name);
    if (!h) out.set(name, (h = new Map()));
    const add = b[name];
    for (const value of Object.keys(add)) h.set(value, (h.get(value) ?? 0) + add[value]);
    if (h.size > MAX_VALUES_PER_ATTRIBUTE) return null;
  }
  if (out.size > MAX_ATTRIBUTES) return null;
  const result: AttributeHistograms = {};
  for (const [name, h] of out) result[name] = Object.fromEntries(h);
  return result;
}
