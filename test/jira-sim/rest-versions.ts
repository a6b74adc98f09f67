// Version endpoints: POST /version (project or site admins) and GET /version/{id}. A project's list,
// archived versions included, is GET /project/{key}/versions (rest-meta.ts).
import { canAdministerProject } from './permissions';
import { Project, versionJson } from './render';
import { RestCtx, RestResult, Route, ok, route } from './router';
import type { SimStore } from './store';
import { fail, isObject } from './util';

const NAME_MAX = 255;

/**
 * The project a create names by `projectId` (Cloud's documented member) or `project` (its key; Data Center's
 * older member). Jira answers alike for a project that does not exist and one the caller may not administer.
 * Browsing is not needed: a site admin creates versions in a project it cannot browse.
 */
function targetProject(store: SimStore, body: Record<string, unknown>): Project {
  const byId = body.projectId !== undefined && body.projectId !== null;
  const ref = byId ? String(body.projectId) : typeof body.project === 'string' ? body.project : '';
  if (!ref) fail(400, 'Project must be specified to create a version.');
  const project = byId ? store.projects.find((p) => p.id === ref) : store.projects.find((p) => p.key === ref);
  const notFound = `Project with ${byId ? 'id' : 'key'} '${ref}' either does not exist or you do not have permission to create versions in it.`;
  if (!project) fail(404, notFound);
  if (!canAdministerProject(store)) {
    // Data Center answers a missing right as a missing project; Cloud says 403.
    if (store.flavour === 'datacenter') fail(404, notFound);
    fail(403, 'You do not have permission to create versions in this project.');
  }
  return project;
}

/** Jira trims the name and compares names within a project case-insensitively. */
function validName(project: Project, raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!name) fail(400, [], { name: 'You must specify a valid version name' });
  if (name.length > NAME_MAX) fail(400, [], { name: `The version name must not exceed ${NAME_MAX} characters.` });
  if (project.versions.some((v) => v.name.toLowerCase() === name.toLowerCase())) {
    fail(400, [], { name: 'A version with this name already exists in this project.' });
  }
  return name;
}

function createVersion(c: RestCtx): RestResult {
  const body = isObject(c.body) ? c.body : fail(400, 'Invalid request payload. Refer to the REST API documentation and try again.');
  const project = targetProject(c.store, body);
  const name = validName(project, body.name);
  const version = c.store.addVersion(project, name, { released: body.released === true, archived: body.archived === true });
  return ok(versionJson(c.store, version, project.id), 201);
}

function getVersion(c: RestCtx): RestResult {
  for (const p of c.store.projects) {
    const v = p.versions.find((x) => x.id === c.params[0]);
    if (v) return ok(versionJson(c.store, v, p.id));
  }
  return fail(404, `Could not find version for id '${c.params[0]}'`);
}

export const versionRoutes: Route[] = [
  route('POST', '/version', createVersion, { v3: true }),
  route('GET', '/version/:id', getVersion, { v3: true }),
];
