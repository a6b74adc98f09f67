// Default data of a fresh simulator: project CHK, its workflow, fields and users.
import type { SimFieldDef, SimProjectInput } from './types';

export type CategoryKey = 'new' | 'indeterminate' | 'done';

// Jira's three status categories (ids and colours as Jira answers them).
export const STATUS_CATEGORIES: Record<CategoryKey, { id: number; key: CategoryKey; colorName: string; name: string }> = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

export interface StatusDef {
  id: string;
  name: string;
  category: CategoryKey;
  /** id of the global transition that leads to this status in the permissive workflow */
  transitionId?: string;
}

export const STATUSES: StatusDef[] = [
  { id: '1', name: 'To Do', category: 'new', transitionId: '11' },
  { id: '3', name: 'In Progress', category: 'indeterminate', transitionId: '21' },
  { id: '10001', name: 'Done', category: 'done', transitionId: '31' },
  { id: '10002', name: "Won't Do", category: 'done', transitionId: '41' },
];

export const RESOLUTIONS = [
  { id: '10000', name: 'Done' },
  { id: '10001', name: "Won't Do" },
  { id: '10002', name: 'Duplicate' },
];

export const PRIORITIES = [
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
];

export interface IssueTypeDef {
  id: string;
  name: string;
  description: string;
}

export const ISSUE_TYPES: IssueTypeDef[] = [
  { id: '10004', name: 'Bug', description: 'A problem or error.' },
  { id: '10002', name: 'Task', description: 'A small, distinct piece of work.' },
];

/** Issue types a project added with `projects` may offer besides Bug and Task. */
export const MORE_ISSUE_TYPES: IssueTypeDef[] = [{ id: '10010', name: 'Crash', description: 'An app crash reported from the field.' }];

export interface VersionDef {
  id: string;
  name: string;
  released: boolean;
  archived: boolean;
}

export const CHK_VERSIONS: VersionDef[] = [
  { id: '10100', name: '2.3.9', released: true, archived: false },
  { id: '10101', name: '2.4.0', released: true, archived: false },
  { id: '10102', name: '2.4.1', released: false, archived: false },
  { id: '10103', name: '2.5.0', released: false, archived: false },
  // Names as teams really write them: a prefix, a suffix, and one with no version at all.
  { id: '10104', name: 'v2.3.8 hotfix', released: true, archived: false },
  { id: '10105', name: 'Release 2.6.0', released: false, archived: false },
  { id: '10106', name: 'Next release', released: false, archived: false },
];

const sys = (id: string, name: string, type: string, items?: string): SimFieldDef => ({
  id,
  name,
  custom: false,
  schema: items ? { type, items, system: id } : { type, system: id },
});
const CF = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const custom = (n: number, name: string, type: string, kind: string, items?: string, values?: string[]): SimFieldDef => ({
  id: `customfield_${n}`,
  name,
  custom: true,
  schema: { type, ...(items ? { items } : {}), custom: CF + kind, customId: n },
  ...(values ? { allowedValues: values.map((value, i) => ({ id: String(n * 10 + i), value })) } : {}),
});

/** Everything GET /field lists. Fields not on a create screen (status, created…) cannot be set. */
export const SYSTEM_FIELDS: SimFieldDef[] = [
  sys('summary', 'Summary', 'string'),
  sys('issuetype', 'Issue Type', 'issuetype'),
  sys('project', 'Project', 'project'),
  sys('reporter', 'Reporter', 'user'),
  sys('description', 'Description', 'string'),
  sys('environment', 'Environment', 'string'),
  sys('labels', 'Labels', 'array', 'string'),
  sys('priority', 'Priority', 'priority'),
  sys('fixVersions', 'Fix versions', 'array', 'version'),
  sys('versions', 'Affects versions', 'array', 'version'),
  sys('assignee', 'Assignee', 'user'),
  sys('duedate', 'Due date', 'date'),
  sys('status', 'Status', 'status'),
  sys('resolution', 'Resolution', 'resolution'),
  sys('resolutiondate', 'Resolved', 'datetime'),
  sys('created', 'Created', 'datetime'),
  sys('updated', 'Updated', 'datetime'),
  sys('creator', 'Creator', 'user'),
  sys('comment', 'Comment', 'comments-page'),
];

export const CUSTOM_FIELDS: SimFieldDef[] = [
  custom(10010, 'Platform', 'option', 'select', undefined, ['Linux', 'Windows', 'macOS']),
  custom(10011, 'Build', 'array', 'labels', 'string'),
  custom(10012, 'Severity score', 'number', 'float'),
  custom(10013, 'Release date', 'datetime', 'datetime'),
  custom(10014, 'Affected user', 'user', 'userpicker'),
  custom(10015, 'Found in', 'array', 'multiversion', 'version'),
  custom(10016, 'Components hit', 'array', 'multiselect', 'option', ['Frontend', 'Backend', 'Payments']),
];

const TASK_SCREEN = ['summary', 'issuetype', 'project', 'reporter', 'description', 'labels', 'priority', 'fixVersions', 'assignee', 'duedate'];
// Affects versions is on the Bug screen only, as in Jira's default screens: a Task has no affected version.
const BUG_SCREEN = [...TASK_SCREEN.slice(0, 5), 'environment', ...TASK_SCREEN.slice(5), 'versions', ...CUSTOM_FIELDS.map((f) => f.id)];

/** Create screens by issue type id: field id → required. */
export function defaultScreens(): Map<string, Map<string, boolean>> {
  const screen = (ids: string[]) => new Map(ids.map((id) => [id, ['summary', 'issuetype', 'project'].includes(id)]));
  return new Map([
    ['10004', screen(BUG_SCREEN)],
    ['10002', screen(TASK_SCREEN)],
  ]);
}

export interface UserDef {
  accountId: string;
  name: string;
  key: string;
  displayName: string;
  emailAddress?: string;
  /** Cloud privacy setting: the email is not returned nor searchable */
  emailHidden: boolean;
}

export const BOT: UserDef = {
  accountId: '5b10ac8d82e05b22cc7d4e00',
  name: 'bot',
  key: 'JIRAUSER10000',
  displayName: 'Crashbridge Bot',
  emailAddress: 'bot@acme.com',
  emailHidden: false,
};

/** The person who acts in Jira's UI for the simulator's Jira-side actions (transition, assign…). */
export const ADMIN: UserDef = {
  accountId: '5b10ac8d82e05b22cc7d4e01',
  name: 'admin',
  key: 'JIRAUSER10001',
  displayName: 'Jira Admin',
  emailAddress: 'admin@acme.com',
  emailHidden: false,
};

export const DEFAULT_USERS: UserDef[] = [
  BOT,
  ADMIN,
  { accountId: '5b10ac8d82e05b22cc7d4ef5', name: 'alice', key: 'JIRAUSER10101', displayName: 'Alice', emailAddress: 'alice@acme.com', emailHidden: false },
  { accountId: '5b10ac8d82e05b22cc7d4ef6', name: 'bob', key: 'JIRAUSER10102', displayName: 'Bob', emailAddress: 'bob@acme.com', emailHidden: true },
];

/**
 * A second company-managed project for tests that route tickets across projects: MOB (Mobile) offers
 * Crash, whose create screen requires "Device" (a text field only this screen has), and Task. No Bug:
 * a ticket of type Bug cannot be created in it.
 */
export const MOBILE_PROJECT: SimProjectInput = {
  key: 'MOB',
  name: 'Mobile',
  issueTypes: [
    {
      name: 'Crash',
      fields: ['reporter', 'description', 'labels', 'priority', 'customfield_10050'],
      required: ['customfield_10050'],
      newFields: [custom(10050, 'Device', 'string', 'textfield')],
    },
    { name: 'Task' },
  ],
};
