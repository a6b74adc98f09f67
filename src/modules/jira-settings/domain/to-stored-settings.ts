import { Condition } from '@app/modules/conditions';
import { ConditionDto } from '@app/modules/jira-settings/dto/condition.dto';
import { CreateRulesDto } from '@app/modules/jira-settings/dto/jira-behaviour.dto';
import { CustomFieldDto } from '@app/modules/jira-settings/dto/jira-mappings.dto';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { RouteDto } from '@app/modules/jira-settings/dto/routes.dto';
import { toStoredUpdates } from '@app/modules/jira-settings/dto/updates.dto';
import { CreateRules, CustomFieldTemplate, JiraRoute, SETTINGS_DEFAULTS, StoredJiraSettings, ValueMaps } from '@app/modules/jira-settings/jira-settings';

/** Drops undefined members, so that `{...defaults, ...given}` keeps the defaults for them. */
function given<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const customFields = (list: CustomFieldDto[]): CustomFieldTemplate[] => list.map(({ field, value }) => ({ field, value }));

const conditions = (rows: ConditionDto[]): Condition[] =>
  rows.map(({ attribute, op, value, any }) => ({
    attribute,
    op,
    ...(value === undefined ? {} : { value: Array.isArray(value) ? [...value] : value }),
    ...(any === undefined ? {} : { any }),
  }));

function createRules(dto: CreateRulesDto | undefined): CreateRules {
  const d = SETTINGS_DEFAULTS.createRules;
  const { when, threshold, ...flags } = dto ?? {};
  return {
    ...d,
    ...given(flags),
    when: conditions(when ?? d.when),
    threshold: threshold ? { count: threshold.count, withinMinutes: threshold.withinMinutes } : d.threshold,
  };
}

// A member a route leaves out stays out: it is the top-level setting's.
const routes = (list: RouteDto[]): JiraRoute[] =>
  list.map((r) => ({
    name: r.name,
    when: conditions(r.when ?? []),
    projectKey: r.projectKey,
    ...given({ issueType: r.issueType, subject: r.subject, labels: r.labels, description: r.description }),
    ...(r.customFields === undefined ? {} : { customFields: customFields(r.customFields) }),
  }));

// Object.fromEntries makes own members whatever the key (a key `__proto__` stays a key).
const valueMaps = (maps: ValueMaps): ValueMaps =>
  Object.fromEntries(Object.entries(maps).map(([name, map]) => [name, Object.fromEntries(Object.entries(map))]));

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
    customFields: customFields(dto.customFields ?? d.customFields),
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
    createRules: createRules(dto.createRules),
    routes: routes(dto.routes ?? d.routes),
    valueMaps: valueMaps(dto.valueMaps ?? d.valueMaps),
    versions: { ...d.versions, ...given(dto.versions) },
    comments: { ...d.comments, ...given(dto.comments) },
    updates: toStoredUpdates(dto.updates, d.updates),
  };
}
