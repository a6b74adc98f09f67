// Field validation of POST /issue, PUT /issue and transitions, with Jira's error messages.
// Values are turned into Jira's stored representation ({"value":"Linux"} → {self,id,value}…).
import { IssueTypeDef, PRIORITIES } from './data';
import { Project, optionJson, priorityJson, userJson, versionJson } from './render';
import type { SimStore } from './store';
import type { SimFieldDef, SimIssue } from './types';
import { fail, isObject, jiraDate } from './util';

type Result = { value: unknown } | { error: string };
const ok = (value: unknown): Result => ({ value });
const err = (error: string): Result => ({ error });
const cannotSet = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
const INVALID_PAYLOAD = 'Invalid request payload. Refer to the REST API documentation and try again.';

/** Converts one field value (as a client sends it) to Jira's representation, or explains why Jira rejects it. */
export function coerceValue(store: SimStore, project: Project, def: SimFieldDef, v: unknown): Result {
  const { type, items } = def.schema;
  if (v === null || v === undefined) return ok(type === 'array' ? [] : null);
  if (type !== 'array') return coerceOne(store, project, def, type, v);
  if (!Array.isArray(v)) return err('data was not an array');
  const out: unknown[] = [];
  for (const x of v) {
    const r = coerceOne(store, project, def, items ?? 'any', x);
    if ('error' in r) return r;
    if (!out.some((y) => JSON.stringify(y) === JSON.stringify(r.value))) out.push(r.value); // Jira drops duplicates
  }
  return ok(out);
}

function coerceOne(store: SimStore, project: Project, def: SimFieldDef, type: string, v: unknown): Result {
  switch (type) {
    case 'string':
      return text(def, v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? ok(v) : err(`Operation value must be a number`);
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !isNaN(Date.parse(v)) ? ok(v) : err(`Error parsing date string: ${String(v)}`);
    case 'datetime': {
      const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;
      if (typeof v !== 'string' || !iso.test(v) || isNaN(Date.parse(fixOffset(v)))) {
        return err(`Invalid date format. Please enter the date in the format "yyyy-MM-dd'T'HH:mm:ss.SSSZ".`);
      }
      return ok(jiraDate(Date.parse(fixOffset(v))));
    }
    case 'option': {
      if (!isObject(v)) return err('data was not an object');
      const opts = def.allowedValues ?? [];
      if (v.id !== undefined) {
        // A disabled option is not offered, as if it did not exist.
        const o = opts.find((x) => x.id === String(v.id) && !x.disabled);
        return o ? ok(optionJson(store, o)) : err(`Option id '${String(v.id)}' is not valid`);
      }
      if (v.value === undefined) return err(`Could not find valid 'id' or 'value' in the Option object.`);
      const o = opts.find((x) => x.value === v.value && !x.disabled);
      return o ? ok(optionJson(store, o)) : err(`Option value '${String(v.value)}' is not valid`);
    }
    case 'priority': {
      if (!isObject(v)) return err('data was not an object');
      const p = PRIORITIES.find((x) => x.id === v.id || x.name === v.name);
      return p ? ok(priorityJson(store, p)) : err('The priority selected is invalid.');
    }
    case 'version': {
      if (!isObject(v)) return err('data was not an object');
      // An archived version is not offered on any screen.
      const ver = project.versions.find((x) => !x.archived && (v.id !== undefined ? x.id === String(v.id) : x.name === v.name));
      if (ver) return ok(versionJson(store, ver, project.id));
      return err(v.id !== undefined ? `Version id '${String(v.id)}' is not valid` : `Version name '${String(v.name)}' is not valid`);
    }
    case 'user':
      return user(store, def, v);
    default:
      return ok(v);
  }
}

const fixOffset = (s: string) => s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');

function text(def: SimFieldDef, v: unknown): Result {
  if (typeof v !== 'string') return err('Operation value must be a string');
  const isLabel = def.id === 'labels' || def.schema.custom?.endsWith(':labels');
  if (isLabel) {
    if (/\s/.test(v)) return err(`The label '${v}' contains spaces which is invalid.`);
    if (v.length > 255) return err(`The label '${v}' exceeds maximum length of 255 characters.`);
    return ok(v);
  }
  if (def.id === 'summary') {
    if (/[\r\n]/.test(v)) return err('The summary is invalid because it contains newline characters.');
    // Jira counts UTF-16 code units (Java String.length()), like JavaScript's .length
    return v.length > 255 ? err('Summary must be less than 255 characters.') : ok(v);
  }
  const limit = def.schema.custom?.endsWith(':textfield') ? 255 : 32767;
  if (v.length > limit) return err(`The entered text is too long. It exceeds the allowed limit of ${limit.toLocaleString('en-US')} characters.`);
  return ok(v);
}

function user(store: SimStore, def: SimFieldDef, v: unknown): Result {
  if (!isObject(v)) return err('data was not an object');
  if (store.flavour === 'cloud') {
    // Jira Cloud identifies users by accountId only ("GDPR strict mode")
    if (typeof v.accountId !== 'string') return err(`Specify a valid accountId for ${def.name}. 'name' and 'key' are not supported.`);
    const u = store.user(v.accountId);
    if (u && def.id === 'assignee' && !store.permissions.assignable(u.accountId)) return err(`User '${u.displayName}' cannot be assigned issues.`);
    return u ? ok(userJson(store, u)) : err('Specified user does not exist or you do not have required permissions');
  }
  const ref = typeof v.name === 'string' ? v.name : typeof v.key === 'string' ? v.key : undefined;
  if (ref === undefined) return err(`Specify a valid user name for ${def.name}.`);
  const u = store.user(ref);
  if (u && def.id === 'assignee' && !store.permissions.assignable(u.name)) return err(`User '${u.name}' cannot be assigned issues.`);
  return u ? ok(userJson(store, u)) : err(`User '${ref}' does not exist.`);
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const requiredMessage = (def: SimFieldDef) => (def.id === 'summary' ? 'You must specify a summary of the issue.' : `${def.name} is required.`);

function lookup<T>(ref: unknown, find: (s: string) => T | undefined): T | undefined {
  if (!isObject(ref)) return undefined;
  const s = ref.id ?? ref.key ?? ref.name;
  return s === undefined ? undefined : find(String(s));
}

export interface CreateInput {
  project: Project;
  issueType: IssueTypeDef;
  values: Record<string, unknown>;
}

/** POST /issue: project and issue type first (Jira stops there when they are wrong), then every field. */
export function validateCreate(store: SimStore, body: unknown): CreateInput {
  if (!isObject(body) || (body.fields !== undefined && !isObject(body.fields))) fail(400, INVALID_PAYLOAD);
  const fields = (body.fields ?? {}) as Record<string, unknown>;
  const project = lookup(fields.project, (s) => store.project(s));
  if (!project) fail(400, [], { project: 'Specify a valid project ID or key' });
  if (fields.issuetype === undefined) fail(400, [], { issuetype: 'Specify an issue type' });
  // Only the types the project offers: another project's type is refused like an unknown one.
  const offered = store.issueTypesOf(project);
  const issueType = lookup(fields.issuetype, (s) => offered.find((t) => t.id === s || t.name.toLowerCase() === s.toLowerCase()));
  if (!issueType) fail(400, [], { issuetype: 'The issue type selected is invalid.' });

  const screen = store.screenFor(project, issueType.id);
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [id, v] of Object.entries(fields)) {
    if (id === 'project' || id === 'issuetype') continue;
    const def = store.field(id);
    if (!def || !screen.has(id)) errors[id] = cannotSet(id);
    else assign(coerceValue(store, project, def, v), id, values, errors);
  }
  for (const [id, required] of screen) {
    const def = store.field(id);
    if (required && def && id !== 'project' && id !== 'issuetype' && !(id in errors) && isEmpty(values[id])) errors[id] = requiredMessage(def);
  }
  if (Object.keys(errors).length) fail(400, [], errors);
  return { project, issueType, values };
}

function assign(r: Result, id: string, values: Record<string, unknown>, errors: Record<string, string>) {
  if ('error' in r) errors[id] = r.error;
  else values[id] = r.value;
}

/** PUT /issue: `fields` (set) and `update` ([{set|add|remove: value}]) for fields on the issue type's screen. */
export function validateEdit(store: SimStore, issue: SimIssue, body: unknown): Record<string, unknown> {
  if (!isObject(body) || (body.fields !== undefined && !isObject(body.fields)) || (body.update !== undefined && !isObject(body.update))) {
    fail(400, INVALID_PAYLOAD);
  }
  const project = store.project(issue.projectKey)!;
  const screen = store.screenFor(project, String((issue.fields.issuetype as { id: string }).id));
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const settable = (id: string) => {
    const def = store.field(id);
    if (def && screen.has(id) && id !== 'project' && id !== 'issuetype') return def;
    errors[id] = cannotSet(id);
    return undefined;
  };
  for (const [id, v] of Object.entries((body.fields ?? {}) as Record<string, unknown>)) {
    const def = settable(id);
    if (def) assign(coerceValue(store, project, def, v), id, values, errors);
  }
  for (const [id, ops] of Object.entries((body.update ?? {}) as Record<string, unknown>)) {
    const def = settable(id);
    if (!def) continue;
    if (!Array.isArray(ops)) {
      errors[id] = 'data was not an array';
      continue;
    }
    for (const op of ops as Array<Record<string, unknown>>) {
      for (const [verb, arg] of Object.entries(op ?? {})) applyOp(store, project, def, issue, verb, arg, values, errors);
    }
  }
  for (const id of Object.keys(values)) {
    if (screen.get(id) === true && isEmpty(values[id])) errors[id] = requiredMessage(store.field(id)!);
  }
  if (Object.keys(errors).length) fail(400, [], errors);
  return values;
}

function applyOp(
  store: SimStore, project: Project, def: SimFieldDef, issue: SimIssue, verb: string, arg: unknown,
  values: Record<string, unknown>, errors: Record<string, string>,
) {
  const id = def.id;
  if (verb === 'set') return assign(coerceValue(store, project, def, arg), id, values, errors);
  if (def.schema.type !== 'array' || (verb !== 'add' && verb !== 'remove')) {
    errors[id] = `Field '${id}' does not support operation '${verb}'`;
    return;
  }
  const r = coerceValue(store, project, def, [arg]);
  if ('error' in r) return void (errors[id] = r.error);
  const item = (r.value as unknown[])[0];
  const same = (x: unknown) => (typeof x === 'string' ? x === item : (x as { id: string }).id === (item as { id: string }).id);
  const current = ((values[id] ?? issue.fields[id] ?? []) as unknown[]).slice();
  values[id] = verb === 'add' ? (current.some(same) ? current : [...current, item]) : current.filter((x) => !same(x));
}
