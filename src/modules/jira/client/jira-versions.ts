// A project's versions: listing them and creating one. Creating needs "Administer Projects" on the
// project or "Administer Jira"; without it Cloud answers 403 and Data Center 404 (as for a project
// that does not exist).
import { isJiraError } from './jira-errors';
import type { JiraTransport } from './jira-transport';
import type { JiraVersion } from './jira-types';

const enc = encodeURIComponent;

/** Every version of a project, archived ones included, in the project's order. */
export async function listProjectVersions(transport: JiraTransport, projectKey: string): Promise<JiraVersion[]> {
  const data = await transport.request<unknown>({ method: 'GET', path: `project/${enc(projectKey)}/versions`, route: 'project/{project}/versions' });
  return (Array.isArray(data) ? data : []).map(normalizeVersion);
}

/**
 * `POST version` in the project of that id. Not retried after it may have reached Jira: a lost answer
 * throws `unknown_outcome`, and the project's list tells whether it was made.
 */
export async function createVersion(transport: JiraTransport, projectId: string, name: string): Promise<JiraVersion> {
  const data = await transport.request<unknown>({
    method: 'POST',
    path: 'version',
    body: { name, projectId: Number(projectId) },
    idempotent: false,
  });
  return normalizeVersion(data);
}

/** Jira's 400 for a name the project already has (in any case): someone made it first. */
export function isVersionNameTaken(err: unknown): boolean {
  return isJiraError(err, 'bad_request') && /already exists/i.test(err.errors.name ?? '');
}

function normalizeVersion(raw: unknown): JiraVersion {
  const v = (raw ?? {}) as Record<string, unknown>;
  return {
    id: String(v.id ?? ''),
    name: String(v.name ?? ''),
    archived: v.archived === true,
    released: v.released === true,
  };
}
