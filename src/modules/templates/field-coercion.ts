import type { JiraFlavour } from '@app/modules/jira/client/jira-types';
import { toJiraDate, toJiraDateTime } from './jira-dates';
import { splitLabels, splitList } from './split-list';

/**
 * Rendered template text → the JSON Jira expects for a field, by the field's
 * schema (from GET /rest/api/2/field, optionally with createmeta allowedValues).
 * An empty rendered value omits the field (value undefined) rather than sending
 * an empty string or `{"value": ""}` that Jira would reject.
 */

export interface FieldSchema {
  type: string;
  items?: string;
  custom?: string;
  system?: string;
}

export interface AllowedValue {
  id?: string;
  value?: string;
  name?: string;
}

export interface FieldMeta {
  id: string;
  name: string;
  schema: FieldSchema;
  allowedValues?: AllowedValue[];
  /** On the create screen of the configured project and issue type: wins over a namesake elsewhere. */
  onScreen?: boolean;
}

export type CoercionResult = { ok: true; value: unknown } | { ok: false; error: string };

const OMIT: CoercionResult = { ok: true, value: undefined };
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const MAX_LISTED_ALLOWED = 20;

export function isLabelsField(field: FieldMeta): boolean {
  return field.schema.system === 'labels' || (field.schema.custom?.endsWith(':labels') ?? false);
}

function quote(text: string): string {
  return `'${text.length > 100 ? text.slice(0, 99) + '…' : text}'`;
}

function fail(error: string): CoercionResult {
  return { ok: false, error };
}

/** Which property of an allowed value is its spelling for this kind of field. */
function allowedKey(kind: string): 'value' | 'name' {
  return kind === 'option' ? 'value' : 'name';
}

/**
 * Canonical spelling of `text` among the field's allowed values (exact match
 * first, then case-insensitive), or an error listing them. No list → any value.
 */
function canonical(text: string, field: FieldMeta, kind: string): { ok: true; value: string } | { ok: false; error: string } {
  const allowed = field.allowedValues;
  if (!allowed || allowed.length === 0) return { ok: true, value: text };
  const key = allowedKey(kind);
  const spellings = allowed
    .map((a) => a[key] ?? a.value ?? a.name)
    .filter((s): s is string => typeof s === 'string');
  const exact = spellings.find((s) => s === text);
  if (exact !== undefined) return { ok: true, value: exact };
  const lower = text.toLowerCase();
  const folded = spellings.find((s) => s.toLowerCase() === lower);
  if (folded !== undefined) return { ok: true, value: folded };
  const listed = spellings.slice(0, MAX_LISTED_ALLOWED).join(', ') + (spellings.length > MAX_LISTED_ALLOWED ? ', …' : '');
  return { ok: false, error: `value ${quote(text)} is not allowed for field ${quote(field.name)} (allowed: ${listed})` };
}

/** One item of a scalar kind → its JSON, or an error. `text` is trimmed and non-empty. */
function coerceItem(text: string, kind: string, field: FieldMeta, flavour: JiraFlavour): CoercionResult {
  switch (kind) {
    case 'string':
    case 'any':
      return { ok: true, value: text };
    case 'number': {
      const n = Number(text);
      return NUMBER.test(text) && Number.isFinite(n)
        ? { ok: true, value: n }
        : fail(`value ${quote(text)} is not a number for field ${quote(field.name)}`);
    }
    case 'option': {
      const c = canonical(text, field, kind);
      return c.ok ? { ok: true, value: { value: c.value } } : c;
    }
    case 'version':
    case 'component':
    case 'priority':
    case 'resolution': {
      const c = canonical(text, field, kind);
      return c.ok ? { ok: true, value: { name: c.value } } : c;
    }
    case 'group':
      return { ok: true, value: { name: text } };
    case 'user':
      // Cloud identifies people by accountId only; Data Center by user name.
      return { ok: true, value: flavour === 'cloud' ? { accountId: text } : { name: text } };
    case 'date': {
      const d = toJiraDate(text);
      return d ? { ok: true, value: d } : fail(`value ${quote(text)} is not a date for field ${quote(field.name)} (expected YYYY-MM-DD)`);
    }
    case 'datetime': {
      const d = toJiraDateTime(text);
      return d
        ? { ok: true, value: d }
        : fail(`value ${quote(text)} is not a date-time for field ${quote(field.name)} (expected ISO 8601, e.g. 2026-11-24T09:00:00Z)`);
    }
    default:
      return fail(`field ${quote(field.name)} has type '${kind}', which cannot be filled from a template`);
  }
}

export function coerceFieldValue(text: string, field: FieldMeta, flavour: JiraFlavour): CoercionResult {
  const trimmed = text.trim();
  if (trimmed === '') return OMIT;
  const { type, items } = field.schema;

  if (type !== 'array') return coerceItem(trimmed, type, field, flavour);

  const itemKind = items ?? 'string';
  const list = itemKind === 'string' && isLabelsField(field) ? splitLabels(trimmed) : splitList(trimmed);
  const values: unknown[] = [];
  for (const item of list) {
    const r = coerceItem(item, itemKind, field, flavour);
    if (!r.ok) return r;
    // Case-insensitive matching can map two inputs onto one allowed value.
    if (!values.some((v) => JSON.stringify(v) === JSON.stringify(r.value))) values.push(r.value);
  }
  return values.length === 0 ? OMIT : { ok: true, value: values };
}
