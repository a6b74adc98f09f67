import type { JiraFlavour, JiraUserId, JiraUserRef } from '@app/modules/jira/client/jira-types';
import { UserMappingEntry } from '@app/modules/jira-settings/jira-settings';

export type InboundUser = { user: string; mapped: true } | { user: string; mapped: false };

const lower = (s?: string) => s?.toLowerCase();

/**
 * Jira assignee → user here: the user mapping, else their email (auto-map), else
 * their display name kept as is (reported as unmapped).
 */
export function userForJiraPerson(p: JiraUserRef, mapping: UserMappingEntry[], autoMapByEmail: boolean): InboundUser {
  const entry = mapping.find(
    (m) => (p.accountId && m.jiraAccountId === p.accountId) || (p.name && lower(m.jiraUsername) === lower(p.name)) || (p.key && lower(m.jiraUsername) === lower(p.key)),
  );
  if (entry) return { user: entry.user, mapped: true };
  if (autoMapByEmail && p.emailAddress) return { user: p.emailAddress, mapped: true };
  return { user: p.displayName ?? p.name ?? p.accountId ?? 'unknown Jira user', mapped: false };
}

/** User here → Jira identity from the mapping (accountId on Cloud, username on Data Center), if any. */
export function mappedJiraIdentity(user: string, mapping: UserMappingEntry[], flavour: JiraFlavour): JiraUserId | undefined {
  const entry = mapping.find((m) => lower(m.user) === lower(user));
  if (!entry) return undefined;
  if (flavour === 'cloud' && entry.jiraAccountId) return { accountId: entry.jiraAccountId };
  if (flavour === 'datacenter' && entry.jiraUsername) return { name: entry.jiraUsername };
  return undefined;
}

/** Whether a Jira person is the given identity. */
export function isSamePerson(p: JiraUserRef | null | undefined, id: JiraUserId | null): boolean {
  if (!p || !id) return !p && !id;
  return 'accountId' in id ? p.accountId === id.accountId : lower(p.name) === lower(id.name) || lower(p.key) === lower(id.name);
}
