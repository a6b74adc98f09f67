import { AttributeHistograms, GroupState, ResolvedUntil } from '@app/database/entities';
import { mergeHistograms, normalizeAttributes } from './attribute-histograms';
import { IngestGroupDto } from './ingest-group.dto';

/** The merge-relevant part of a stored group. */
export interface GroupSnapshot {
  title: string;
  callstack: string[];
  classifiers: string[];
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  link: string | null;
  attributes: AttributeHistograms;
  state: GroupState;
  resolvedUntil: ResolvedUntil | null;
  resolvedAt: Date | null;
  regressions: number;
}

export interface ReportTimes {
  firstSeen: Date;
  lastSeen: Date;
}

/** Missing timestamps default to each other, then to now. */
export function reportTimes(r: IngestGroupDto, now: Date): ReportTimes {
  const first = r.firstSeen ? new Date(r.firstSeen) : undefined;
  const last = r.lastSeen ? new Date(r.lastSeen) : undefined;
  return { firstSeen: first ?? last ?? now, lastSeen: last ?? first ?? now };
}

/**
 * Applies one report to a stored group. Counts are deltas and add up; firstSeen
 * keeps the minimum and lastSeen the maximum; title, callstack, classifiers and
 * link take the latest non-empty value. `folded` collects the attributes whose
 * values passed the cap (the byte budget is trimAttributes', once per request).
 */
export function mergeReport(g: GroupSnapshot, r: IngestGroupDto, now: Date, folded?: Set<string>): GroupSnapshot {
  const count = r.count ?? 1;
  const t = reportTimes(r, now);
  return {
    ...g,
    title: r.title ? r.title : g.title,
    callstack: r.callstack && r.callstack.length > 0 ? r.callstack : g.callstack,
    classifiers: r.classifiers && r.classifiers.length > 0 ? r.classifiers : g.classifiers,
    link: r.link ? r.link : g.link,
    count: g.count + count,
    firstSeen: t.firstSeen < g.firstSeen ? t.firstSeen : g.firstSeen,
    lastSeen: t.lastSeen > g.lastSeen ? t.lastSeen : g.lastSeen,
    attributes: mergeHistograms(g.attributes, normalizeAttributes(r.attributes, count, folded), folded),
  };
}
