import { StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';

/**
 * Every Jira project the integration's tickets may be created in: the top level's (the default
 * route), then each route's, once each (Jira project keys are case-insensitive).
 */
export function jiraProjectKeys(settings: Pick<StoredJiraSettings, 'projectKey' | 'routes'>): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const key of [settings.projectKey, ...(settings.routes ?? []).map((r) => r.projectKey)]) {
    if (!key || seen.has(key.toUpperCase())) continue;
    seen.add(key.toUpperCase());
    keys.push(key);
  }
  return keys;
}
