import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { SETTINGS_DEFAULTS, StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';

/** Drops undefined members, so that `{...defaults, ...given}` keeps the defaults for them. */
function given<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A validated PUT body → what goes into the `settings` column: every member
 * present, defaults filled in (nested objects member by member), plain objects
 * only (no DTO instances in jsonb).
 */
export function toStoredSettings(dto: PutJiraSettingsDto): StoredJiraSettings {
  const d = SETTINGS_DEFAULTS;
  return {
    enabled: dto.enabled ?? d.enabled,
    projectKey: dto.projectKey,
    issueType: dto.issueType ?? d.issueType,
    subject: dto.subject,
    labels: dto.labels ?? d.labels,
    description: dto.description ?? d.description,
    fieldMapping: { ...d.fieldMapping, ...given(dto.fieldMapping) },
    customFields: (dto.customFields ?? d.customFields).map(({ field, value }) => ({ field, value })),
    sync: { ...d.sync, ...given(dto.sync) },
    statusMapping: (dto.statusMapping ?? d.statusMapping).map(({ jiraStatus, state, primary, resolution }) => ({
      jiraStatus,
      state,
      ...(primary === undefined ? {} : { primary }),
      ...(resolution ? { resolution } : {}),
    })),
    userMapping: (dto.userMapping ?? d.userMapping).map((u) => ({ user: u.user, ...given({ jiraAccountId: u.jiraAccountId, jiraUsername: u.jiraUsername }) })),
    autoMapUsersByEmail: dto.autoMapUsersByEmail ?? d.autoMapUsersByEmail,
    fixVersionSync: { ...d.fixVersionSync, ...given(dto.fixVersionSync) },
    regression: { ...d.regression, ...given(dto.regression) },
    createRules: { ...d.createRules, ...given(dto.createRules) },
    routes: d.routes,
    valueMaps: d.valueMaps,
    versions: d.versions,
  };
}
