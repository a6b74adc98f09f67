// Data set-up behind JiraSimulator's configuration methods: fields, users, and the strict data (duplicate
// custom-field names across projects, archived versions, disabled options).
import { randomUUID } from 'node:crypto';
import type { SimStore } from './store';
import type { SimFieldDef, SimUserInput } from './types';

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
  if (store.project('MOB')) return;
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
