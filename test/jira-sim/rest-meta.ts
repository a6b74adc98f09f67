// Metadata endpoints: myself, serverInfo, projects, fields, create metadata, users.
import { PRIORITIES, UserDef } from './data';
import { canBrowse } from './permissions';
import { Project, issueTypeJson, optionJson, priorityJson, projectJson, resolutionJson, statusJson, userJson, versionJson } from './render';
import { RestCtx, Route, intParam, ok, route } from './router';
import type { SimStore } from './store';
import type { SimFieldDef } from './types';
import { fail } from './util';

const BUILD = {
  cloud: { version: '1001.0.0-SNAPSHOT', versionNumbers: [1001, 0, 0], deploymentType: 'Cloud', buildNumber: 100284 },
  datacenter: { version: '9.12.15', versionNumbers: [9, 12, 15], deploymentType: 'Server', buildNumber: 9120015 },
};

function mustProject(store: SimStore, idOrKey: string): Project {
  const p = canBrowse(store) ? store.project(idOrKey) : undefined;
  return p ?? fail(404, `No project could be found with key '${idOrKey}'.`);
}

function fieldJson(store: SimStore, f: SimFieldDef) {
  const scoped = f.projectKey ? store.project(f.projectKey) : undefined;
  return {
    ...(scoped ? { scope: { type: 'PROJECT', project: { id: scoped.id } } } : {}),
    id: f.id,
    key: f.id,
    name: f.name,
    custom: f.custom,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: f.custom ? [`cf[${f.schema.customId ?? f.id.replace(/\D/g, '')}]`, f.name] : [f.id],
    schema: f.schema,
  };
}

function allowedValues(store: SimStore, project: Project, f: SimFieldDef): unknown[] | undefined {
  const type = f.schema.type === 'array' ? f.schema.items : f.schema.type;
  if (type === 'option') return (f.allowedValues ?? []).map((o) => ({ ...optionJson(store, o), disabled: o.disabled ?? false }));
  if (type === 'priority') return PRIORITIES.map((p) => priorityJson(store, p));
  if (type === 'version') return project.versions.filter((v) => !v.archived).map((v) => versionJson(store, v, project.id));
  if (type === 'issuetype') return store.issueTypesOf(project).map((t) => issueTypeJson(store, t));
  if (type === 'project') return [projectJson(store, project)];
  return f.allowedValues;
}

function metaField(store: SimStore, project: Project, f: SimFieldDef, required: boolean) {
  const allowed = allowedValues(store, project, f);
  return {
    required,
    schema: f.schema,
    name: f.name,
    ...(store.flavour === 'cloud' ? { key: f.id } : {}),
    fieldId: f.id,
    ...(f.schema.type === 'user' ? { autoCompleteUrl: `${store.apiUrl}user/search?${store.flavour === 'cloud' ? 'query' : 'username'}=` } : {}),
    hasDefaultValue: f.id === 'priority' || f.id === 'reporter',
    operations: f.schema.type === 'array' ? ['add', 'set', 'remove'] : ['set'],
    ...(allowed ? { allowedValues: allowed } : {}),
    ...(f.id === 'priority' ? { defaultValue: priorityJson(store, PRIORITIES[1]) } : {}),
  };
}

/** Cloud: {maxResults,startAt,total,<listName>}; Data Center: {maxResults,startAt,total,isLast,values}. */
function page(c: RestCtx, items: unknown[], cloudName: string) {
  const startAt = intParam(c.query.get('startAt'), 0);
  const maxResults = intParam(c.query.get('maxResults'), 50, 200);
  const slice = items.slice(startAt, startAt + maxResults);
  if (c.store.flavour === 'cloud') return ok({ maxResults, startAt, total: items.length, [cloudName]: slice });
  return ok({ maxResults, startAt, total: items.length, isLast: startAt + slice.length >= items.length, values: slice });
}

function myself(c: RestCtx) {
  const extra = c.store.flavour === 'cloud' ? { locale: 'en_US', groups: { size: 1, items: [] }, applicationRoles: { size: 1, items: [] } } : { locale: 'en_US' };
  return ok({ ...userJson(c.store, c.actor), ...extra });
}

function userSearch(c: RestCtx) {
  const { store, query } = c;
  const cloud = store.flavour === 'cloud';
  if (cloud && query.has('username')) fail(400, "The query parameter 'username' is not supported in GDPR strict mode.");
  const q = (cloud ? query.get('query') : query.get('username') ?? query.get('query'))?.trim().toLowerCase();
  if (!q) fail(400, `The '${cloud ? 'query' : 'username'}' query parameter is required.`);
  // Without "Browse users and groups" both flavours answer an empty list, not an error.
  if (!store.permissions.has('USER_PICKER')) return ok([]);
  const matches = (u: UserDef) =>
    u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) ||
    u.displayName.toLowerCase().startsWith(q) ||
    (!(cloud && u.emailHidden) && !!u.emailAddress?.toLowerCase().startsWith(q)) ||
    (!cloud && u.name.toLowerCase().startsWith(q));
  const max = intParam(query.get('maxResults'), 50, 1000);
  return ok(store.users.filter(matches).slice(0, max).map((u) => userJson(store, u)));
}

function getUser(c: RestCtx) {
  const { store, query } = c;
  if (store.flavour === 'cloud') {
    if (query.has('username') || query.has('key')) fail(400, "The query parameter 'username' is not supported in GDPR strict mode.");
    const u = store.user(query.get('accountId') ?? '');
    return u ? ok(userJson(store, u)) : fail(404, 'Specified user does not exist or you do not have required permissions');
  }
  const ref = query.get('username') ?? query.get('key') ?? '';
  const u = store.user(ref);
  return u ? ok(userJson(store, u)) : fail(404, `The user named '${ref}' does not exist`);
}

export const metaRoutes: Route[] = [
  route('GET', '/myself', myself, { v3: true }),
  route('GET', '/serverInfo', (c) => {
    const base = c.store.apiUrl.replace(/\/rest\/api\/2\/$/, '');
    return ok({ baseUrl: base, ...BUILD[c.store.flavour], buildDate: '2026-01-01T00:00:00.000+0000', serverTime: new Date().toISOString(), scmInfo: 'sim', serverTitle: 'Jira' });
  }, { v3: true }),
  route('GET', '/project', (c) => ok(canBrowse(c.store) ? c.store.projects.map((p) => projectJson(c.store, p)) : [])),
  route('GET', '/project/:p', (c) => {
    const p = mustProject(c.store, c.params[0]);
    return ok(projectJson(c.store, p, c.store.issueTypesOf(p)));
  }),
  route('GET', '/project/:p/versions', (c) => {
    const p = mustProject(c.store, c.params[0]);
    return ok(p.versions.map((v) => versionJson(c.store, v, p.id)));
  }),
  route('GET', '/project/:p/statuses', (c) => {
    const p = mustProject(c.store, c.params[0]);
    const statuses = c.store.statuses.map((s) => statusJson(c.store, s));
    return ok(c.store.issueTypesOf(p).map((t) => ({ self: `${c.store.apiUrl}issuetype/${t.id}`, id: t.id, name: t.name, subtask: false, statuses })));
  }),
  route('GET', '/status', (c) => ok(c.store.statuses.map((s) => statusJson(c.store, s)))),
  route('GET', '/priority', (c) => ok(PRIORITIES.map((p) => priorityJson(c.store, p)))),
  route('GET', '/resolution', (c) => ok(c.store.resolutions.map((r) => resolutionJson(c.store, r)))),
  route('GET', '/issuetype', (c) => ok(c.store.issueTypes.map((t) => issueTypeJson(c.store, t)))),
  route('GET', '/field', (c) => ok(c.store.fields.map((f) => fieldJson(c.store, f)))),
  route('GET', '/issue/createmeta/:p/issuetypes', (c) => {
    const project = mustProject(c.store, c.params[0]);
    return page(c, c.store.issueTypesOf(project).map((t) => issueTypeJson(c.store, t)), 'issueTypes');
  }),
  route('GET', '/issue/createmeta/:p/issuetypes/:t', (c) => {
    const project = mustProject(c.store, c.params[0]);
    // A type of the site that this project does not offer is as unknown here as one that does not exist.
    const type = c.store.issueTypesOf(project).find((t) => t.id === c.params[1]) ?? fail(404, `Issue type with id '${c.params[1]}' does not exist.`);
    const screen = [...c.store.screenFor(project, type.id)];
    const fields = screen.map(([id, req]) => metaField(c.store, project, c.store.field(id)!, req));
    return page(c, fields, 'fields');
  }),
  route('GET', '/user/search', userSearch, { v3: true }),
  route('GET', '/user', getUser, { v3: true }),
];
