import { isISO8601, isURL, length, maxLength } from 'class-validator';
import { badRequest } from '@app/common/errors/domain-error';
import { IngestGroupDto, isReadableDate, unreadableDateMessage } from './ingest-group.dto';
import { describeAttributeProblem } from './attribute-histograms';
import { MAX_BATCH, MAX_CLASSIFIERS, MAX_COUNT, MAX_FINGERPRINT, MAX_FRAME_LENGTH, MAX_FRAMES, MAX_TITLE } from './limits';

export type ParsedItem = { ok: true; report: IngestGroupDto } | { ok: false; fingerprint: string | null; errors: string[] };
export type ParsedBody = { batch: false; item: ParsedItem } | { batch: true; items: ParsedItem[] };

/*
 * A hand-written twin of class-validator on IngestGroupDto (plainToInstance, then
 * validateSync with whitelist + forbidNonWhitelisted), which cost a large share of
 * a 1,000-group batch. It calls the same predicates (class-validator's own
 * `length`, `maxLength`, `isISO8601`, `isURL`) and produces the same messages in
 * the same order: per property the decorators' messages bottom-up, properties in
 * declaration order, unknown properties first. The decorators on IngestGroupDto
 * stay (OpenAPI) and test/unit/ingest-body/parse-ingest-body.spec.ts checks the two
 * against each other on generated input.
 */

const KNOWN = new Set(['fingerprint', 'title', 'callstack', 'classifiers', 'count', 'firstSeen', 'lastSeen', 'attributes', 'link']);
const has = Object.prototype.hasOwnProperty;
/** Keys class-transformer never copies (prototype-pollution guard): it drops them silently. */
const dropped = (key: string) => has.call(Object.prototype, key);
const ISO_OPTIONS = { strict: true };
const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

const isStr = (v: unknown): boolean => typeof v === 'string' || v instanceof String;

/** class-validator's Length message (it looks at `value.length`, whatever the value is). */
function lengthMessage(prop: string, value: unknown, min: number, max: number): string {
  const len = (value as { length?: number } | null | undefined)?.length as number;
  if (!value || len < min) return `${prop} must be longer than or equal to ${min} characters`;
  if (len > max) return `${prop} must be shorter than or equal to ${max} characters`;
  return `${prop} must be longer than or equal to ${min} and shorter than or equal to ${max} characters`;
}

/** `{each: true}`: every element of an array, or the value itself when it is not one. */
function eachOk(value: unknown, test: (v: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return test(value);
  for (const v of value) if (!test(v)) return false;
  return true;
}

function stringList(errors: string[], prop: string, value: unknown, maxItems: number, maxItemLength: number): void {
  if (!eachOk(value, (v) => maxLength(v, maxItemLength))) errors.push(`each value in ${prop} must be shorter than or equal to ${maxItemLength} characters`);
  if (!eachOk(value, isStr)) errors.push(`each value in ${prop} must be a string`);
  if (!(Array.isArray(value) && value.length <= maxItems)) errors.push(`${prop} must contain no more than ${maxItems} elements`);
  if (!Array.isArray(value)) errors.push(`${prop} must be an array`);
}

/**
 * The value as class-transformer's plainToInstance would hand it over: arrays and
 * objects copied, keys named like Object.prototype members dropped. Returns the
 * value itself when there is nothing to drop (the usual case).
 */
function transformed(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = transformed(value[i]);
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return copy ?? value;
  }
  if (typeof value !== 'object' || value === null) return value;
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = (value as Record<string, unknown>)[k];
    const t = dropped(k) ? undefined : transformed(v);
    if (copy === undefined && (dropped(k) || t !== v)) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]] = (value as Record<string, unknown>)[keys[j]];
    }
    if (copy !== undefined && !dropped(k)) copy[k] = t;
  }
  return copy ?? value;
}

/** Messages for one report, exactly as class-validator words and orders them. */
function validate(o: Record<string, unknown>, keys: string[]): string[] {
  const errors: string[] = [];
  for (const k of keys) if (!KNOWN.has(k)) errors.push(`property ${k} should not exist`);

  const fp = o.fingerprint;
  if (!length(fp, 1, MAX_FINGERPRINT)) errors.push(lengthMessage('fingerprint', fp, 1, MAX_FINGERPRINT));
  if (!isStr(fp)) errors.push('fingerprint must be a string');

  const title = o.title;
  if (title !== undefined) {
    if (!maxLength(title, MAX_TITLE)) errors.push(`title must be shorter than or equal to ${MAX_TITLE} characters`);
    if (!isStr(title)) errors.push('title must be a string');
  }
  if (o.callstack !== undefined) stringList(errors, 'callstack', o.callstack, MAX_FRAMES, MAX_FRAME_LENGTH);
  if (o.classifiers !== undefined) stringList(errors, 'classifiers', o.classifiers, MAX_CLASSIFIERS, 200);

  const count = o.count;
  if (count !== undefined) {
    if (!(typeof count === 'number' && count <= MAX_COUNT)) errors.push(`count must not be greater than ${MAX_COUNT}`);
    if (!(typeof count === 'number' && count >= 0)) errors.push('count must not be less than 0');
    if (!(typeof count === 'number' && Number.isInteger(count))) errors.push('count must be an integer number');
  }
  for (const prop of ['firstSeen', 'lastSeen'] as const) {
    const v = o[prop];
    if (v === undefined) continue;
    if (!isISO8601(v, ISO_OPTIONS)) errors.push(`${prop} must be a valid ISO 8601 date string`);
    else if (!isReadableDate(v)) errors.push(unreadableDateMessage(prop));
  }
  if (o.attributes !== undefined) {
    const problem = describeAttributeProblem(o.attributes);
    if (problem !== null) errors.push(problem);
  }
  const link = o.link;
  if (link !== undefined) {
    // isURL checks typeof itself (its typing says string).
    if (!isURL(link as string, URL_OPTIONS)) errors.push('link must be a URL address');
    if (!maxLength(link, 2048)) errors.push('link must be shorter than or equal to 2048 characters');
    if (!isStr(link)) errors.push('link must be a string');
  }
  return errors;
}

function parseItem(raw: unknown, label: string): ParsedItem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, fingerprint: null, errors: [`${label} must be an object`] };
  }
  const input = raw as Record<string, unknown>;
  const keys = Object.keys(input).filter((k) => !dropped(k));
  const report: Record<string, unknown> = {};
  for (const k of keys) report[k] = k === 'attributes' ? transformed(input[k]) : input[k];
  const fp = input.fingerprint;
  const fingerprint = typeof fp === 'string' ? fp.slice(0, 256) : null;
  const errors = validate(report, keys);
  if (errors.length > 0) return { ok: false, fingerprint, errors };
  const r = report as unknown as IngestGroupDto;
  if (r.firstSeen && r.lastSeen && Date.parse(r.firstSeen) > Date.parse(r.lastSeen)) {
    return { ok: false, fingerprint, errors: ['firstSeen must not be after lastSeen'] };
  }
  return { ok: true, report: r };
}

/**
 * A body is one group or `{"groups": [...]}`. In a batch each item is validated on
 * its own, so one bad item does not reject the others; a body that is neither
 * shape is a 400.
 */
export function parseIngestBody(body: unknown): ParsedBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('INVALID_BODY', 'body must be a group object or {"groups": [...]}', 'body');
  }
  if ('groups' in body) {
    const groups = (body as { groups: unknown }).groups;
    const extra = Object.keys(body).filter((k) => k !== 'groups');
    if (extra.length > 0) throw badRequest('INVALID_BODY', `property ${extra[0]} should not exist next to groups`, extra[0]);
    if (!Array.isArray(groups)) throw badRequest('INVALID_BODY', 'groups must be an array', 'groups');
    if (groups.length === 0) throw badRequest('INVALID_BODY', 'groups must contain at least 1 item', 'groups');
    if (groups.length > MAX_BATCH) throw badRequest('BATCH_TOO_LARGE', `groups must contain at most ${MAX_BATCH} items`, 'groups');
    return { batch: true, items: groups.map((g, i) => parseItem(g, `groups[${i}]`)) };
  }
  return { batch: false, item: parseItem(body, 'body') };
}
