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
      // A placeholder row; merging in code applies the reports one by one.
      records.push({ f: d.fingerprint, t: d.title, c: [], k: [], n: 0, a: iso(d.firstSeen), b: iso(d.lastSeen), l: null, h: {} });
    } else {
      records.push({
        f: d.fingerprint, t: d.title, c: d.callstack ?? [], k: d.classifiers ?? [], n: d.count,
        a: iso(d.firstSeen), b: iso(d.lastSeen), l: d.link, h: d.attributes,
      });
    }
  }
  const values = [projectId, JSON.stringify(records), titledAsFingerprint, inCode];
  if (tokenHash !== undefined) values.push(tokenHash);
  return values;
}

/** The groups by fingerprint, from either form the statement returns. */
export function decodeUpsert(result: Array<Record<string, unknown>>): UpsertResult {
  const rows = new Map<string, UpsertedGroup>();
  const hasIntegration = result[0]?.hasIntegration === true;
  const tokenOk = result[0]?.tokenOk === true;
  if (typeof result[0]?.groups === 'string' || result[0]?.groups === null) {
    // The batch statement: [id, fingerprint, count, ticketRef, ticketState, created] per group.
    const list = JSON.parse((result[0].groups as string | null) ?? '[]') as Array<[string, string, number, string | null, TicketState | null, boolean]>;
    for (const [id, fingerprint, count, ticketRef, ticketState, created] of list) {
      rows.set(fingerprint, { id, fingerprint, count, ticketRef, ticketState, created } as UpsertedGroup);
    }
    return { rows, hasIntegration, tokenOk };
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
  return { rows, hasIntegration, tokenOk };
}
