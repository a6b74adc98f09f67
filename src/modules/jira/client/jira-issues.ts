import type { JiraTransport } from './jira-transport';
import type {
  JiraCreatedIssue, JiraEditBody, JiraFlavour, JiraIssue, JiraIssueProperty, JiraUserId,
} from './jira-types';

const enc = encodeURIComponent;

export interface JiraCreateIssueExtra {
  update?: Record<string, unknown>;
  properties?: Array<{ key: string; value: unknown }>;
}

export async function createIssue(
  transport: JiraTransport,
  fields: Record<string, unknown>,
  extra: JiraCreateIssueExtra,
): Promise<JiraCreatedIssue> {
  const created = await transport.request<JiraCreatedIssue>({
    method: 'POST',
    path: 'issue',
    body: { fields, ...extra },
    // A lost answer must surface as `unknown_outcome`, never as a second issue.
    idempotent: false,
  });
  return { id: String(created.id), key: created.key, self: created.self };
}

export function getIssue(
  transport: JiraTransport,
  idOrKey: string,
  fields: string[] | undefined,
  options: { expand?: string[] },
): Promise<JiraIssue | null> {
  return transport.requestOrNull<JiraIssue>({
    method: 'GET',
    path: `issue/${enc(idOrKey)}`,
    route: 'issue/{issue}',
    query: {
      fields: fields?.length ? fields.join(',') : undefined,
      expand: options.expand?.length ? options.expand.join(',') : undefined,
    },
  });
}

export async function editIssue(
  transport: JiraTransport,
  idOrKey: string,
  body: JiraEditBody,
  options: { notifyUsers?: boolean },
): Promise<void> {
  await transport.request({
    method: 'PUT',
    path: `issue/${enc(idOrKey)}`,
    route: 'issue/{issue}',
    query: { notifyUsers: options.notifyUsers === false ? false : undefined },
    body,
  });
}

export async function deleteIssue(
  transport: JiraTransport,
  idOrKey: string,
  options: { deleteSubtasks?: boolean },
): Promise<boolean> {
  const result = await transport.requestOrNull<unknown>({
    method: 'DELETE',
    path: `issue/${enc(idOrKey)}`,
    route: 'issue/{issue}',
    query: { deleteSubtasks: options.deleteSubtasks ? true : undefined },
  });
  return result !== null;
}

/** `flavour` is only asked when unassigning: Cloud and Data Center spell "nobody" differently. */
export async function assignIssue(
  transport: JiraTransport,
  flavour: () => Promise<JiraFlavour>,
  idOrKey: string,
  user: JiraUserId | null,
): Promise<void> {
  let body: Record<string, unknown>;
  if (user === null) {
    body = (await flavour()) === 'cloud' ? { accountId: null } : { name: null };
  } else if ('accountId' in user) {
    body = { accountId: user.accountId };
  } else {
    body = { name: user.name };
  }
  await transport.request({
    method: 'PUT',
    path: `issue/${enc(idOrKey)}/assignee`,
    route: 'issue/{issue}/assignee',
    body,
  });
}

export async function setIssueProperty(transport: JiraTransport, idOrKey: string, key: string, value: unknown): Promise<void> {
  await transport.request({
    method: 'PUT',
    path: `issue/${enc(idOrKey)}/properties/${enc(key)}`,
    route: 'issue/{issue}/properties/{property}',
    body: value === undefined ? null : value,
  });
}

export function getIssueProperty<T>(
  transport: JiraTransport,
  idOrKey: string,
  key: string,
): Promise<JiraIssueProperty<T> | null> {
  return transport.requestOrNull<JiraIssueProperty<T>>({
    method: 'GET',
    path: `issue/${enc(idOrKey)}/properties/${enc(key)}`,
    route: 'issue/{issue}/properties/{property}',
  });
}
