// The parameters of the ingest upsert and the rows it returns, as plain data (GroupRepository.upsertReports).
import { AttributeHistograms, GroupState, ResolvedUntil, TicketState } from '@app/database/entities';
import { ReportSum, UpsertedGroup, UpsertResult } from './group.rows';
import { TicketView } from './jira-issue.rows';

/**
 * $1..$4 (and $5, the token hash) of the upsert: the sums as one jsonb recordset, the fingerprints
 * whose reported title is the fingerprint, and the fingerprints left to code.
 */
export function upsertValues(projectId: string, sums: ReportSum[], tokenHash?: string): unknown[] {
  const records = [];
  const titledAsFingerprint: string[] = [];
  const inCode: string[] = [];
  // Timestamps as text once each (Date#toJSON is most of JSON.stringify's time; reports share their times).
  const texts = new Map<number, string>();
  const iso = (t: Date) => {
    const ms = t.getTime();
    let text = texts.get(ms);
    if (text === undefined) texts.set(ms, (text = t.toISOString()));
    return text;
  };
  for (const d of sums) {
    if (d.title === d.fingerprint) titledAsFingerprint.push(d.fingerprint);
    if (d.complex) {
      inCode.push(d.fingerprint);
      // A placeholder row; merging in code applies the reports one by one (and writes their hours).
      records.push({ f: d.fingerprint, t: d.title, c: [], k: [], n: 0, a: iso(d.firstSeen), b: iso(d.lastSeen), l: null, h: {}, y: null });
    } else {
      records.push({
        f: d.fingerprint, t: d.title, c: d.callstack ?? [], k: d.classifiers ?? [], n: d.count,
        a: iso(d.firstSeen), b: iso(d.lastSeen), l: d.link, h: d.attributes, y: hourlyRecord(d, iso),
      });
    }
  }
  const values = [projectId, JSON.stringify(records), titledAsFingerprint, inCode];
  if (tokenHash !== undefined) values.push(tokenHash);
  return values;
}

/** A sum's counts by hour as the statement's `y` ({hour: count}), or null for none. */
function hourlyRecord(d: ReportSum, iso: (t: Date) => string): Record<string, number> | null {
  if (!d.hourly) return d.count > 0 ? { [iso(hourOf(d.lastSeen))]: d.count } : null;
  if (d.hourly.size === 0) return null;
  const y: Record<string, number> = {};
  for (const [hour, count] of d.hourly) y[iso(new Date(hour))] = count;
  return y;
}

/** Hourly counts of groups merged in code, as writeMerged's second parameter: [{g: group id, y: {hour: count}}]. */
export function hourlyOfMerged(groups: Array<{ groupId: string; sum: ReportSum }>): string {
  const iso = (t: Date) => t.toISOString();
  return JSON.stringify(groups.map(({ groupId, sum }) => ({ g: groupId, y: hourlyRecord(sum, iso) })).filter((r) => r.y !== null));
}

function hourOf(t: Date): Date {
  return new Date(Math.floor(t.getTime() / 3600_000) * 3600_000);
}

/** The groups by fingerprint, from either form the statement returns. */
export function decodeUpsert(result: Array<Record<string, unknown>>): UpsertResult {
  const rows = new Map<string, UpsertedGroup>();
  const hasIntegration = result[0]?.hasIntegration === true;
  const tokenOk = result[0]?.tokenOk === true;
  const projectOk = result[0]?.projectOk !== false;
  if (typeof result[0]?.groups === 'string' || result[0]?.groups === null) {
    // The batch statement: [id, fingerprint, count, ticketRef, ticketState, created] per group.
    const list = JSON.parse((result[0].groups as string | null) ?? '[]') as Array<[string, string, number, string | null, TicketState | null, boolean]>;
    for (const [id, fingerprint, count, ticketRef, ticketState, created] of list) {
      rows.set(fingerprint, { id, fingerprint, count, ticketRef, ticketState, created } as UpsertedGroup);
    }
    return { rows, hasIntegration, tokenOk, projectOk };
  }
  for (const r of result) {
    if (r.id === null) continue;
    const g: UpsertedGroup = {
      id: r.id as string,
      fingerprint: r.fingerprint as string,
      title: r.title as string,
      count: Number(r.count),
      ticketRef: r.ticketRef as string | null,
      ticketState: r.ticketState as TicketState | null,
      ticketRoute: (r.ticketRoute as string | null | undefined) ?? null,
      created: r.created as boolean,
      callstack: r.callstack as string[],
      classifiers: r.classifiers as string[],
      firstSeen: r.firstSeen as Date,
      lastSeen: r.lastSeen as Date,
      link: r.link as string | null,
      attributes: r.attributes as AttributeHistograms,
      state: r.state as GroupState,
      assignee: r.assignee as string | null,
      resolvedUntil: r.resolvedUntil as ResolvedUntil | null,
      regressions: r.regressions as number,
      updatedAt: r.updatedAt as Date,
      ticket: r.ticket as TicketView | null,
    };
    rows.set(g.fingerprint, g);
  }
  return { rows, hasIntegration, tokenOk, projectOk };
}
