// Reading Jira's issue JSON (`GET /issue`, search results, and the `issue` object inside
// webhooks) into the pieces of a JiraChange. Shared by parse-webhook.ts; pure, no I/O.
//
// Everything here takes `unknown` on purpose: webhook bodies are untrusted, and even REST
// answers vary by flavour (Cloud users carry accountId, Data Center users name/key).
import type { JiraIssue, JiraUserRef } from '@app/modules/jira/client/jira-types';
import type { JiraChange } from './jira-change';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Jira ids come as strings ("10034"), but some payloads (and DC changelog ids) use numbers. */
export function idString(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

// Jira's timestamp format: 2026-11-25T10:00:00.000+0000 (offset without a colon, which is not
// ISO 8601 and which Date.parse only accepts by V8 leniency), so we rewrite it explicitly.
const JIRA_DATE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

// PostgreSQL (and PGlite) refuse the ISO text of a Date past year 9999 ("+10000-…"), so a change
// stamped later than this cannot be stored: such a timestamp is as unusable as an unreadable one.
const LAST_STORABLE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** ms since epoch within what the database stores (after 1970, up to the end of year 9999); undefined otherwise. */
export function storableEpochMs(n: number): number | undefined {
  return Number.isFinite(n) && n > 0 && n <= LAST_STORABLE_MS ? Math.floor(n) : undefined;
}

/** `2026-11-25T10:00:00.000+0000` (or ISO 8601 with `Z`/`+00:00`) → ms since epoch; undefined when unparseable. */
export function parseJiraDate(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = JIRA_DATE.exec(v.trim());
  if (!m) return undefined;
  const [, date, hh, mm, ss = '00', frac = '', zone] = m;
  let offset = 'Z'; // Jira always sends an offset; read a bare local time as UTC rather than as the server's zone
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offset = `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
  }
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}.${(frac + '000').slice(0, 3)}${offset}`);
  return storableEpochMs(ms);
}

/** Some samples (Port's docs) show a URL-encoded accountId ("557058%3A69f…"); ids never contain '%'. */
function decodeAccountId(id: string): string {
  if (!id.includes('%')) return id;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/** A user object (Cloud or DC) → JiraUserRef with only the fields Jira sent; undefined when it names nobody. */
export function userRefOf(v: unknown): JiraUserRef | undefined {
  if (!isRecord(v)) return undefined;
  const ref: JiraUserRef = {};
  const accountId = text(v.accountId);
  if (accountId) ref.accountId = decodeAccountId(accountId);
  if (text(v.name)) ref.name = v.name as string;
  if (text(v.key)) ref.key = v.key as string;
  if (text(v.displayName)) ref.displayName = v.displayName as string;
  if (text(v.emailAddress)) ref.emailAddress = v.emailAddress as string; // absent on Cloud when the person hides it
  return Object.keys(ref).length ? ref : undefined;
}

/**
 * `fields.status` → {name, id, category}; category is statusCategory.key (new / indeterminate / done).
 * Some workflows resolve an issue without a done-category status: an issue with a resolution set counts
 * as category done, so an unmapped status reads as resolved (the status mapping still comes first).
 */
export function statusOf(fields: Record<string, unknown> | undefined): JiraChange['status'] {
  const s = fields?.status;
  if (!isRecord(s) || !text(s.name)) return undefined;
  const status: NonNullable<JiraChange['status']> = { name: s.name as string };
  const id = idString(s.id);
  if (id) status.id = id;
  if (isRecord(s.statusCategory) && text(s.statusCategory.key)) status.category = s.statusCategory.key as string;
  if (isRecord(fields?.resolution)) status.category = 'done';
  return status;
}

/** The key present with null means "unassigned"; an absent key (or junk) means "not known from this payload". */
export function assigneeOf(fields: Record<string, unknown> | undefined): JiraUserRef | null | undefined {
  if (!fields || !('assignee' in fields)) return undefined;
  if (fields.assignee === null) return null;
  return userRefOf(fields.assignee);
}

/** `fields.fixVersions` → version names, in Jira's order; undefined when the field was not sent. */
export function fixVersionNamesOf(fields: Record<string, unknown> | undefined): string[] | undefined {
  const list = fields?.fixVersions;
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((v) => (isRecord(v) && text(v.name) ? [v.name as string] : []));
}

/** `fields.project.key`, else the key's prefix (CHK-12 → CHK): comment events often carry no fields. */
export function projectKeyOf(issueKey: string, fields: Record<string, unknown> | undefined): string | undefined {
  const project = fields?.project;
  if (isRecord(project) && text(project.key)) return project.key as string;
  const m = /^(.+)-\d+$/.exec(issueKey);
  return m ? m[1] : undefined;
}

/**
 * A copy without the keys whose value is undefined, so a change compares equal however it was built. A copy, not
 * `delete`: V8 turns an object a key was deleted from into a slow dictionary, and every webhook's change is read
 * and serialized again after this (in a loop, compacting and serializing a change took twice as long).
 */
export function compact<T extends object>(o: T): T {
  const kept: Partial<T> = {};
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] !== undefined) kept[k] = o[k];
  return kept as T;
}

/**
 * Reconciliation: an issue read from Jira (with at least status, assignee, fixVersions, updated, project)
 * as the change a webhook would have brought. Throws when `fields.updated` is missing or unparseable:
 * without it the change cannot be ordered against webhooks, and silently using 0 would make it "stale".
 */
export function changeFromIssue(issue: JiraIssue): JiraChange {
  const fields = isRecord(issue.fields) ? issue.fields : undefined;
  const issueId = idString(issue.id) ?? '';
  const timestamp = parseJiraDate(fields?.updated);
  if (timestamp === undefined) throw new Error(`Jira issue ${issue.key} has no parseable fields.updated (${JSON.stringify(fields?.updated)})`);
  return compact<JiraChange>({
    kind: 'updated',
    issueId,
    issueKey: issue.key,
    jiraProjectKey: projectKeyOf(issue.key, fields),
    timestamp,
    status: statusOf(fields),
    assignee: assigneeOf(fields),
    fixVersions: fixVersionNamesOf(fields),
    changedFields: ['status', 'assignee', 'fixVersions'],
  });
}
