import type { JiraTransport } from './jira-transport';
import type { JiraFlavour, JiraUser } from './jira-types';

/** The project rights the bridge uses, in the order Test connection lists them. */
export const BRIDGE_PERMISSIONS = [
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'TRANSITION_ISSUES',
  'ASSIGN_ISSUES',
  'ADD_COMMENTS',
] as const;
export type BridgePermission = (typeof BRIDGE_PERMISSIONS)[number];

export interface JiraPermission {
  key: string;
  name?: string;
  havePermission: boolean;
}

/**
 * `GET mypermissions?projectKey=…&permissions=…`: the caller's rights on one project, by key.
 * Cloud refuses the call without `permissions`, so the keys are always sent.
 */
export async function myPermissions(transport: JiraTransport, projectKey: string, keys: readonly string[]): Promise<Record<string, JiraPermission>> {
  const body = await transport.request<{ permissions?: Record<string, Partial<JiraPermission>> }>({
    method: 'GET',
    path: 'mypermissions',
    query: { projectKey, permissions: keys.join(',') },
  });
  const out: Record<string, JiraPermission> = {};
  for (const [key, p] of Object.entries(body?.permissions ?? {})) {
    out[key] = { key, name: typeof p?.name === 'string' ? p.name : undefined, havePermission: p?.havePermission === true };
  }
  return out;
}

/**
 * Whether user search finds `me` (the caller). Without "Browse users and groups" Jira answers
 * an empty list rather than an error, so finding nobody is the only sign of the missing right.
 */
export async function userSearchFinds(transport: JiraTransport, flavour: JiraFlavour, me: JiraUser): Promise<boolean> {
  const cloud = flavour === 'cloud';
  const wanted = cloud ? me.emailAddress ?? me.displayName : me.name;
  if (!wanted) return false;
  const users = await transport.request<unknown>({
    method: 'GET',
    path: 'user/search',
    query: cloud ? { query: wanted, maxResults: 50 } : { username: wanted, maxResults: 50 },
  });
  const list = Array.isArray(users) ? (users as JiraUser[]) : [];
  return list.some((u) => (cloud ? u?.accountId === me.accountId : u?.name === me.name));
}
