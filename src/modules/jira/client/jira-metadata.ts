import {
  type JiraCreateMetaField,
  type JiraCreateMetaIssueType,
  normalizeCreateMetaFieldsPage,
  normalizeCreateMetaIssueTypesPage,
} from './createmeta';
import { collectPages } from './jira-paging';
import type { JiraTransport } from './jira-transport';
import type { JiraField, JiraProject } from './jira-types';

const enc = encodeURIComponent;

export function getProject(transport: JiraTransport, key: string): Promise<JiraProject | null> {
  return transport.requestOrNull<JiraProject>({ method: 'GET', path: `project/${enc(key)}`, route: 'project/{project}' });
}

/** The site's resolutions (`GET resolution`): what a transition screen may offer. */
export function listResolutions(transport: JiraTransport): Promise<Array<{ id: string; name: string }>> {
  return transport.request<Array<{ id: string; name: string }>>({ method: 'GET', path: 'resolution' });
}

export function listFields(transport: JiraTransport): Promise<JiraField[]> {
  return transport.request<JiraField[]>({ method: 'GET', path: 'field' });
}

export function getCreateMetaIssueTypes(transport: JiraTransport, projectKey: string): Promise<JiraCreateMetaIssueType[]> {
  return collectPages(
    transport,
    `issue/createmeta/${enc(projectKey)}/issuetypes`,
    'issue/createmeta/{project}/issuetypes',
    {},
    normalizeCreateMetaIssueTypesPage,
  );
}

export function getCreateMetaFields(
  transport: JiraTransport,
  projectKey: string,
  issueTypeId: string,
): Promise<JiraCreateMetaField[]> {
  return collectPages(
    transport,
    `issue/createmeta/${enc(projectKey)}/issuetypes/${enc(issueTypeId)}`,
    'issue/createmeta/{project}/issuetypes/{issueType}',
    {},
    normalizeCreateMetaFieldsPage,
  );
}
