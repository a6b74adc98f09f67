// A tiny JQL subset: clauses joined by AND, then an optional ORDER BY.
//   project = CHK | key in (CHK-1, CHK-2) | id in (10000) | labels = "x" | labels in ("a","b") | labels is EMPTY
//   status = "Done" | statusCategory = done | assignee = <accountId|name> | resolution = Unresolved
//   updated >= "2026-11-25 10:00" | updated >= 1764064800000 | updated >= -5m   (also created; >, >=, <, <=, =)
//   summary ~ "word" | description ~ "word" | text ~ "word"   (whole words, as Jira: "fp-1" does not match "fp-10")
//   ORDER BY updated DESC, key ASC
// Anything else answers 400 like Jira.
import type { SimStore } from './store';
import type { SimIssue } from './types';
import { fail } from './util';

export interface JqlQuery {
  /** true when the query has no clause (Jira Cloud's search/jql refuses such unbounded queries) */
  unbounded: boolean;
  matches(issue: SimIssue): boolean;
  compare(a: SimIssue, b: SimIssue): number;
}

type Tok = { kind: 'word' | 'str' | 'op'; text: string };
type Pred = (i: SimIssue) => boolean;

const syntax = (detail: string): never => fail(400, `Error in the JQL Query: ${detail}`);

function tokenize(jql: string): Tok[] {
  const toks: Tok[] = [];
  const re = /\s*(?:(["'])((?:\\.|(?!\1).)*)\1|(!=|>=|<=|!~|[=<>~(),])|([^\s"'=!<>~(),]+))/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < jql.length && (m = re.exec(jql))) {
    pos = re.lastIndex;
    if (m[2] !== undefined) toks.push({ kind: 'str', text: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3]) toks.push({ kind: 'op', text: m[3] });
    else if (m[4]) toks.push({ kind: 'word', text: m[4] });
  }
  if (jql.slice(pos).trim()) syntax(`The character '${jql.slice(pos).trim()[0]}' is a reserved JQL character. (line 1, character ${pos + 1})`);
  return toks;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}
  peek = (): Tok | undefined => this.toks[this.i];
  next(): Tok {
    const t = this.toks[this.i++];
    return t ?? syntax('Expecting more input but reached the end of the query.');
  }
  isWord(w: string, t = this.peek()) {
    return t?.kind === 'word' && t.text.toUpperCase() === w;
  }
  expectOp(op: string) {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== op) syntax(`Expecting '${op}' but got '${t.text}'.`);
  }
  value(): string {
    const t = this.next();
    if (t.kind === 'op') syntax(`Expecting either a value, list or function but got '${t.text}'.`);
    return t.text;
  }
  list(): string[] {
    this.expectOp('(');
    const vals = [this.value()];
    while (this.peek()?.text === ',') {
      this.next();
      vals.push(this.value());
    }
    this.expectOp(')');
    return vals;
  }
}

export function parseJql(store: SimStore, jql: string): JqlQuery {
  const p = new Parser(tokenize(jql ?? ''));
  const preds: Pred[] = [];
  while (p.peek() && !p.isWord('ORDER')) {
    if (preds.length) {
      const t = p.next();
      if (!p.isWord('AND', t)) syntax(`Expecting 'AND' or 'ORDER BY' but got '${t.text}' (this simulator supports only AND).`);
    }
    preds.push(clause(store, p));
  }
  const sorts: Array<(a: SimIssue, b: SimIssue) => number> = [];
  if (p.isWord('ORDER')) {
    p.next();
    if (!p.isWord('BY', p.next())) syntax(`Expecting 'BY' after 'ORDER'.`);
    do {
      if (sorts.length) p.next();
      const f = p.value().toLowerCase();
      const dir = p.isWord('DESC') ? -1 : 1;
      if (p.isWord('ASC') || p.isWord('DESC')) p.next();
      const key = SORT_KEYS[f] ?? syntax(`Field '${f}' does not exist or cannot be used in ORDER BY.`);
      sorts.push((a, b) => dir * cmp(key(a), key(b)));
    } while (p.peek()?.text === ',');
  }
  if (p.peek()) syntax(`Unexpected '${p.peek()!.text}'.`);
  sorts.push((a, b) => Number(b.id) - Number(a.id)); // default / tie-break: newest first
  return {
    unbounded: preds.length === 0,
    matches: (i) => preds.every((f) => f(i)),
    compare: (a, b) => sorts.reduce((r, s) => r || s(a, b), 0),
  };
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const keyNum = (i: SimIssue) => i.projectKey.padEnd(12, ' ') + String(Number(i.key.split('-')[1])).padStart(12, '0');
const SORT_KEYS: Record<string, (i: SimIssue) => string | number> = {
  updated: (i) => i.updatedAt,
  created: (i) => i.createdAt,
  key: keyNum,
  issuekey: keyNum,
  id: (i) => Number(i.id),
  summary: (i) => String(i.fields.summary ?? ''),
  status: (i) => (i.fields.status as { name: string }).name,
};

function clause(store: SimStore, p: Parser): Pred {
  const fieldTok = p.next();
  if (fieldTok.kind === 'op') syntax(`Expecting a field name but got '${fieldTok.text}'.`);
  const field = fieldTok.text.toLowerCase();
  let op = p.next().text.toUpperCase();
  if (op === 'NOT') {
    if (!p.isWord('IN')) syntax(`Expecting 'IN' after 'NOT'.`);
    p.next();
    op = 'NOT IN';
  } else if (op === 'IS' && p.isWord('NOT')) {
    p.next();
    op = 'IS NOT';
  }
  let values: string[];
  if (op === 'IN' || op === 'NOT IN') values = p.list();
  else if (op === 'IS' || op === 'IS NOT') {
    const v = p.value().toUpperCase();
    if (v !== 'EMPTY' && v !== 'NULL') syntax(`Expecting 'EMPTY' or 'NULL' after '${op}'.`);
    values = [];
  } else values = [p.value()];
  const spec = FIELDS[field] ?? fail(400, `Field '${fieldTok.text}' does not exist or you do not have permission to view it.`);
  if (!spec.ops.includes(op)) fail(400, `The operator '${op.toLowerCase()}' is not supported by the '${fieldTok.text}' field.`);
  return spec.build(store, op, values, fieldTok.text);
}

interface FieldSpec {
  ops: string[];
  build(store: SimStore, op: string, values: string[], name: string): Pred;
}

const LIST_OPS = ['=', '!=', 'IN', 'NOT IN'];

/** Multi-valued equality: "=", "in" match when any value of the issue is wanted; "!=", "not in" the opposite. */
function membership(op: string, issueValues: (i: SimIssue) => string[], wanted: string[]): Pred {
  if (op === 'IS') return (i) => issueValues(i).length === 0;
  if (op === 'IS NOT') return (i) => issueValues(i).length > 0;
  const hit: Pred = (i) => issueValues(i).some((v) => wanted.includes(v));
  return op === '=' || op === 'IN' ? hit : (i) => !hit(i);
}

const noValue = (name: string, v: string): never => fail(400, `The value '${v}' does not exist for the field '${name}'.`);
const obj = (i: SimIssue, f: string) => i.fields[f] as Record<string, string> | null;

const FIELDS: Record<string, FieldSpec> = {
  project: {
    ops: LIST_OPS,
    build: (s, op, vals, name) => membership(op, (i) => [i.projectKey], vals.map((v) => (s.project(v) ?? s.projects.find((p) => p.name.toLowerCase() === v.toLowerCase()) ?? noValue(name, v)).key)),
  },
  key: { ops: LIST_OPS, build: (s, op, vals, name) => membership(op, (i) => [i.id], vals.map((v) => issueByKey(s, v, name).id)) },
  id: { ops: LIST_OPS, build: (_s, op, vals) => membership(op, (i) => [i.id], vals) },
  labels: { ops: [...LIST_OPS, 'IS', 'IS NOT'], build: (_s, op, vals) => membership(op, (i) => (i.fields.labels as string[]) ?? [], vals) },
  status: { ops: LIST_OPS, build: (s, op, vals, name) => membership(op, (i) => [obj(i, 'status')!.id], vals.map((v) => (s.status(v) ?? noValue(name, v)).id)) },
  statuscategory: {
    ops: LIST_OPS,
    build: (_s, op, vals) => membership(op, (i) => [(obj(i, 'status') as unknown as { statusCategory: { key: string; name: string } }).statusCategory].flatMap((c) => [c.key, c.name.toLowerCase()]), vals.map((v) => v.toLowerCase())),
  },
  assignee: {
    ops: [...LIST_OPS, 'IS', 'IS NOT'],
    build: (s, op, vals) => membership(op, (i) => { const a = obj(i, 'assignee'); return a ? [s.flavour === 'cloud' ? a.accountId : a.name.toLowerCase()] : []; }, vals.map((v) => (s.flavour === 'cloud' ? v : v.toLowerCase()))),
  },
  resolution: {
    ops: [...LIST_OPS, 'IS', 'IS NOT'],
    build: (_s, op, vals) => membership(op, (i) => { const r = obj(i, 'resolution'); return r ? [r.name.toLowerCase()] : ['unresolved']; }, vals.map((v) => v.toLowerCase())),
  },
  updated: { ops: ['=', '!=', '>', '>=', '<', '<='], build: (_s, op, vals, name) => dateCompare(op, (i) => i.updatedAt, parseDate(vals[0], name)) },
  created: { ops: ['=', '!=', '>', '>=', '<', '<='], build: (_s, op, vals, name) => dateCompare(op, (i) => i.createdAt, parseDate(vals[0], name)) },
  summary: { ops: ['~', '!~'], build: (_s, op, vals, name) => textMatch(op, (i) => [i.fields.summary], vals[0], name) },
  description: { ops: ['~', '!~'], build: (_s, op, vals, name) => textMatch(op, (i) => [i.fields.description], vals[0], name) },
  text: {
    ops: ['~', '!~'],
    build: (_s, op, vals, name) =>
      textMatch(op, (i) => [i.fields.summary, i.fields.description, i.fields.environment, ...i.comments.map((c) => c.body)], vals[0], name),
  },
};
FIELDS.issuekey = FIELDS.key;

function issueByKey(s: SimStore, v: string, name: string): SimIssue {
  if (!/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(v) && !/^\d+$/.test(v)) fail(400, `The issue key '${v}' for field '${name}' is invalid.`);
  // Real Jira rejects the whole query when one key does not exist (also after the issue was deleted).
  return s.issue(v) ?? fail(400, `An issue with key '${v.toUpperCase()}' does not exist for field '${name}'.`);
}

function dateCompare(op: string, get: (i: SimIssue) => number, t: number): Pred {
  const fns: Record<string, Pred> = {
    '=': (i) => get(i) === t,
    '!=': (i) => get(i) !== t,
    '>': (i) => get(i) > t,
    '>=': (i) => get(i) >= t,
    '<': (i) => get(i) < t,
    '<=': (i) => get(i) <= t,
  };
  return fns[op];
}

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/** Dates are read in UTC (the simulated users' time zone). */
export function parseDate(v: string, field = 'updated'): number {
  if (/^\d{9,}$/.test(v)) return Number(v); // epoch millis
  const rel = /^([+-]?)((?:\d+[wdhm]\s*)+)$/.exec(v.trim());
  if (rel) {
    const ms = [...rel[2].matchAll(/(\d+)([wdhm])/g)].reduce((sum, m) => sum + Number(m[1]) * UNIT_MS[m[2]], 0);
    return Date.now() + (rel[1] === '-' ? -ms : ms);
  }
  const abs = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(v.trim());
  if (abs) {
    const [, y, mo, d, h = '0', mi = '0'] = abs;
    const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
    if (!isNaN(t)) return t;
  }
  return fail(
    400,
    `Date value '${v}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

/** Splits text into lower-case words as Jira's index does (punctuation and hyphens separate words). */
export const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** `~` matches whole words: every word of the query, in order and adjacent (a trailing * matches a prefix). */
function textMatch(op: string, texts: (i: SimIssue) => unknown[], query: string, name: string): Pred {
  const prefix = query.trim().endsWith('*');
  const q = words(query);
  if (q.length === 0) fail(400, `The text query '${query}' for field '${name}' is not valid: probably your query contains invalid characters.`);
  const inText = (t: string) => {
    const w = words(t);
    for (let s = 0; s + q.length <= w.length; s++) {
      if (q.every((x, k) => (prefix && k === q.length - 1 ? w[s + k].startsWith(x) : w[s + k] === x))) return true;
    }
    return false;
  };
  const hit: Pred = (i) => texts(i).some((t) => typeof t === 'string' && inText(t));
  return op === '~' ? hit : (i) => !hit(i);
}
