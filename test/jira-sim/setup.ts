// Data set-up behind JiraSimulator's configuration methods: fields, users, and the strict data (duplicate
// custom-field names across projects, archived versions, disabled options).
import { randomUUID } from 'node:crypto';
import type { SimStore } from './store';
import type { SimFieldDef, SimProjectInput, SimUserInput } from './types';
import { MORE_ISSUE_TYPES } from './data';

export function addField(store: SimStore, field: SimFieldDef): void {
  const copy = structuredClone(field);
  const at = store.fields.findIndex((f) => f.id === field.id);
  if (at >= 0) store.fields[at] = copy;
  else store.fields.push(copy);
  const bug = store.screens.get(store.issueType('Bug')!.id)!;
  if (!bug.has(field.id) && !field.projectKey) bug.set(field.id, false);
}

export function setRequired(store: SimStore, fieldId: string, required: boolean, issueTypeName?: string): void {
  if (!store.field(fieldId)) throw new Error(`Unknown field '${fieldId}'`);
  if (issueTypeName) {
    const type = store.issueType(issueTypeName);
    if (!type) throw new Error(`Unknown issue type '${issueTypeName}'`);
    store.screens.get(type.id)!.set(fieldId, required);
    return;
  }
  const screens = [...store.screens.values()].filter((s) => s.has(fieldId));
  if (!screens.length) screens.push(store.screens.get(store.issueType('Bug')!.id)!);
  for (const s of screens) s.set(fieldId, required);
}

/**
 * Adds a company-managed project with its own issue types and create screens. A type named like
 * one of the site's (Bug, Task, Crash) is that type; a screen not given is the type's shared one.
 */
export function addProject(store: SimStore, input: SimProjectInput): void {
  if (store.project(input.key)) throw new Error(`Project '${input.key}' exists already`);
  if (!/^[A-Z][A-Z0-9_]*$/.test(input.key)) throw new Error(`Invalid project key '${input.key}'`);
  const screens = new Map<string, Map<string, boolean>>();
  const issueTypeIds: string[] = [];
  for (const t of input.issueTypes ?? [{ name: 'Bug' }, { name: 'Task' }]) {
    let type = store.issueType(t.name);
    if (!type) {
      const known = MORE_ISSUE_TYPES.find((x) => x.name.toLowerCase() === t.name.toLowerCase());
      type = known ? { ...known } : { id: String(10100 + store.issueTypes.length), name: t.name, description: '' };
      store.issueTypes.push(type);
    }
    for (const f of t.newFields ?? []) if (!store.field(f.id)) store.fields.push(structuredClone(f));
    issueTypeIds.push(type.id);
    const shared = store.screens.get(type.id);
    if (!t.fields && shared) continue;
    const ids = ['summary', 'issuetype', 'project', ...(t.fields ?? [])];
    for (const id of ids) if (!store.field(id)) throw new Error(`Unknown field '${id}' on the ${t.name} screen of ${input.key}`);
    screens.set(type.id, new Map(ids.map((id) => [id, id === 'summary' || id === 'issuetype' || id === 'project' || (t.required ?? []).includes(id)])));
  }
  // Ids above the ones CHK, MOB (duplicateFieldNames) and moved-to projects take.
  const id = String(Math.max(10019, ...store.projects.map((p) => Number(p.id))) + 1);
  store.projects.push({ id, key: input.key, name: input.name, versions: [], issueTypeIds, screens });
}

export function addUser(store: SimStore, user: SimUserInput, n: number): void {
  const name = user.name ?? (user.emailAddress?.split('@')[0] ?? user.displayName).toLowerCase().replace(/\s+/g, '.');
  const def = {
    accountId: user.accountId ?? `712020:${randomUUID()}`,
    name,
    key: `JIRAUSER${n}`,
    displayName: user.displayName,
    emailAddress: user.emailAddress,
    emailHidden: user.emailHidden ?? false,
  };
  const users = store.users;
  const existing = users.findIndex((u) => u.accountId === def.accountId || u.name === def.name);
  if (existing >= 0) users[existing] = { ...def, key: users[existing].key };
  else users.push(def);
}

const CF = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/**
 * Adds team-managed project MOB with its own "Severity" (a text field, listed first by /field), and a
 * company-managed "Severity" select on CHK's Bug screen: two fields named alike, told apart by the create screen.
 */
export function addDuplicateFieldNames(store: SimStore): void {
  const mob = store.project('MOB');
  if (mob?.teamManaged) return;
  if (mob) throw new Error("duplicateFieldNames adds a team-managed project MOB, but MOB exists already (the projects option)");
  store.projects.push({ id: '10001', key: 'MOB', name: 'Mobile', versions: [], teamManaged: true });
  const teamManaged: SimFieldDef = {
    id: 'customfield_10040', name: 'Severity', custom: true, projectKey: 'MOB',
    schema: { type: 'string', custom: CF + 'textfield', customId: 10040 },
  };
  const companyManaged: SimFieldDef = {
    id: 'customfield_10041', name: 'Severity', custom: true,
    schema: { type: 'option', custom: CF + 'select', customId: 10041 },
    allowedValues: ['Critical', 'Major', 'Minor'].map((value, i) => ({ id: String(10410 + i), value })),
  };
  store.fields.unshift(teamManaged);
  store.fields.push(companyManaged);
  store.screens.get(store.issueType('Bug')!.id)!.set(companyManaged.id, false);
}

export function archiveVersion(store: SimStore, projectKey: string, name: string, archived: boolean): void {
  const v = store.project(projectKey)?.versions.find((x) => x.name === name);
  if (!v) throw new Error(`Unknown version '${name}' in ${projectKey}`);
  v.archived = archived;
}

export function disableOption(store: SimStore, fieldId: string, value: string, disabled: boolean): void {
  const o = store.field(fieldId)?.allowedValues?.find((x) => x.value === value);
  if (!o) throw new Error(`Unknown option '${value}' of ${fieldId}`);
  o.disabled = disabled;
}
