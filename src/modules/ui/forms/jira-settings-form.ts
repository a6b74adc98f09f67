import { GROUP_STATES, GroupState } from '@app/database/entities';
import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { SETTINGS_DEFAULTS } from '@app/modules/jira-settings/jira-settings';
import { ConditionRowForm, conditionRowsFromSettings, conditionToBody, isBlankRow, readConditionRows } from './condition-rows';
import { RouteForm, compactRoutes, readRoutes, routesFromSettings, routesToBody } from './routes-form';
import { ValueMapForm, compactValueMaps, readValueMaps, valueMapsFromSettings, valueMapsToBody } from './value-maps-form';

/**
 * The Jira settings as the UI tabs edit them: plain strings, booleans and table
 * rows, so a failed submit can be shown again exactly as typed. The secret is
 * write-only: it is never put back into a page.
 */
export interface JiraForm {
  enabled: boolean;
  apiUrl: string;
  authType: string;
  email: string;
  /** A token is saved: leaving the token field empty keeps it. */
  secretSaved: boolean;
  /**
   * A token was typed in the request being answered but not saved (a test, or a save
   * that failed). The page asks for it again: a token is never sent back to the browser.
   */
  secretTyped: boolean;
  projectKey: string;
  issueType: string;
  subject: string;
  labels: string;
  description: string;
  fieldMappingLabels: string;
  fieldMappingDescription: string;
  customFields: Array<{ field: string; value: string }>;
  fixVersionEnabled: boolean;
  versionAttribute: string;
  versionsAffects: string;
  versionsCreateMissing: boolean;
  syncInbound: boolean;
  syncOutbound: boolean;
  statusMapping: Array<{ jiraStatus: string; state: string; primary: boolean; resolution?: string }>;
  userMapping: Array<{ user: string; jiraAccountId: string; jiraUsername: string }>;
  autoMapUsersByEmail: boolean;
  onNewGroup: boolean;
  minCount: string;
  maxTicketsPerHour: string;
  /** createRules.when */
  createWhen: ConditionRowForm[];
  /** Both empty: no threshold. */
  thresholdCount: string;
  thresholdWithinMinutes: string;
  onRegression: boolean;
  reopenJira: boolean;
  regressionComment: boolean;
  commentsInbound: boolean;
  commentsOutbound: boolean;
  routes: RouteForm[];
  valueMaps: ValueMapForm[];
  /** updates.fields, minIntervalMinutes, and the milestones comma-separated. */
  updateFields: Array<{ field: string; value: string }>;
  updateInterval: string;
  updateMilestones: string;
}

type Body = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[v.length - 1] ?? '') : '');
/** Repeated form fields (one per table row) arrive as an array, a single one as a string. */
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : '')) : typeof v === 'string' ? [v] : []);
const checked = (v: unknown): boolean => str(v) !== '';
/** Numbers stay strings when they are not plain integers, so the DTO names the field in its error. */
const intOrText = (v: string): number | string => (/^\s*\d{1,9}\s*$/.test(v) ? Number(v) : v);

function rows<K extends string>(body: Body, fields: Record<K, string>): Array<Record<K, string>> {
  const columns = Object.entries(fields).map(([key, name]) => [key, list(body[name as string])] as const);
  const count = Math.max(0, ...columns.map(([, values]) => values.length));
  const out: Array<Record<K, string>> = [];
  for (let i = 0; i < count; i++) {
    const row = Object.fromEntries(columns.map(([key, values]) => [key, (values[i] ?? '').trim()])) as Record<K, string>;
    // An empty row (e.g. the blank one the page offers for adding) is not an entry.
    if (Object.values(row).some((v) => v !== '')) out.push(row);
  }
  return out;
}

export function formFromSettings(s: JiraSettingsResponseDto | null): JiraForm {
  const d = SETTINGS_DEFAULTS;
  const createRules = s?.createRules ?? d.createRules;
  const versions = s?.versions ?? d.versions;
  return {
    enabled: s?.enabled ?? d.enabled,
    apiUrl: s?.apiUrl ?? '',
    authType: s?.auth.type ?? 'basic',
    email: s?.auth.email ?? '',
    secretSaved: Boolean(s),
    secretTyped: false,
    projectKey: s?.projectKey ?? '',
    issueType: s?.issueType ?? d.issueType,
    subject: s?.subject ?? '{{title}}',
    labels: s?.labels ?? d.labels,
    description: s?.description ?? d.description,
    fieldMappingLabels: s?.fieldMapping.labels ?? '',
    fieldMappingDescription: s?.fieldMapping.description ?? '',
    customFields: (s?.customFields ?? d.customFields).map((c) => ({ ...c })),
    fixVersionEnabled: (s?.fixVersionSync ?? d.fixVersionSync).enabled,
    versionAttribute: (s?.fixVersionSync ?? d.fixVersionSync).versionAttribute,
    versionsAffects: versions.affects,
    versionsCreateMissing: versions.createMissing,
    syncInbound: (s?.sync ?? d.sync).inbound,
    syncOutbound: (s?.sync ?? d.sync).outbound,
    statusMapping: (s?.statusMapping ?? []).map((m) => ({ jiraStatus: m.jiraStatus, state: m.state, primary: m.primary === true, resolution: m.resolution ?? '' })),
    userMapping: (s?.userMapping ?? []).map((m) => ({ user: m.user, jiraAccountId: m.jiraAccountId ?? '', jiraUsername: m.jiraUsername ?? '' })),
    autoMapUsersByEmail: s?.autoMapUsersByEmail ?? d.autoMapUsersByEmail,
    onNewGroup: createRules.onNewGroup,
    minCount: String(createRules.minCount),
    maxTicketsPerHour: String(createRules.maxTicketsPerHour),
    createWhen: conditionRowsFromSettings(createRules.when),
    thresholdCount: createRules.threshold ? String(createRules.threshold.count) : '',
    thresholdWithinMinutes: createRules.threshold ? String(createRules.threshold.withinMinutes) : '',
    onRegression: createRules.onRegression,
    reopenJira: (s?.regression ?? d.regression).reopenJira,
    regressionComment: (s?.regression ?? d.regression).comment,
    commentsInbound: (s?.comments ?? d.comments).inbound,
    commentsOutbound: (s?.comments ?? d.comments).outbound,
    routes: routesFromSettings(s?.routes),
    valueMaps: valueMapsFromSettings(s?.valueMaps),
    updateFields: (s?.updates ?? d.updates).fields.map((f) => ({ ...f })),
    updateInterval: String((s?.updates ?? d.updates).minIntervalMinutes),
    updateMilestones: (s?.updates ?? d.updates).milestones.join(', '),
  };
}

/** The Connection tab's fields laid over `base`; the typed token, if any, separately. */
export function readConnectionTab(body: Body, base: JiraForm): { form: JiraForm; secret?: string } {
  const secret = str(body.secret).trim();
  const form: JiraForm = {
    ...base,
    secretTyped: secret !== '',
    enabled: checked(body.enabled),
    apiUrl: str(body.apiUrl),
    authType: str(body.authType),
    email: str(body.email),
    projectKey: str(body.projectKey),
    issueType: str(body.issueType),
    subject: str(body.subject),
    labels: str(body.labels),
    description: str(body.description),
    fieldMappingLabels: str(body.fieldMappingLabels),
    fieldMappingDescription: str(body.fieldMappingDescription),
    customFields: rows(body, { field: 'customFieldName', value: 'customFieldValue' }),
    fixVersionEnabled: checked(body.fixVersionEnabled),
    versionAttribute: str(body.versionAttribute),
    // A select always sends a value; a form without it (an older page) leaves the setting as saved.
    versionsAffects: body.versionsAffects === undefined ? base.versionsAffects : str(body.versionsAffects),
    versionsCreateMissing: checked(body.versionsCreateMissing),
  };
  return { form, secret: secret === '' ? undefined : secret };
}

export function readBehaviourTab(body: Body, base: JiraForm): JiraForm {
  return {
    ...base,
    syncInbound: checked(body.syncInbound),
    syncOutbound: checked(body.syncOutbound),
    statusMapping: rows(body, { jiraStatus: 'statusJira', state: 'statusState', primary: 'statusPrimary', resolution: 'statusResolution' }).map((r) => ({
      jiraStatus: r.jiraStatus,
      state: r.state,
      primary: r.primary === 'yes',
      resolution: r.resolution ?? '',
    })),
    userMapping: rows(body, { user: 'userName', jiraAccountId: 'userAccountId', jiraUsername: 'userUsername' }),
    autoMapUsersByEmail: checked(body.autoMapUsersByEmail),
    onNewGroup: checked(body.onNewGroup),
    minCount: str(body.minCount),
    maxTicketsPerHour: str(body.maxTicketsPerHour),
    createWhen: readConditionRows(body, 'createRules.when'),
    thresholdCount: str(body.thresholdCount),
    thresholdWithinMinutes: str(body.thresholdWithinMinutes),
    onRegression: checked(body.onRegression),
    reopenJira: checked(body.reopenJira),
    regressionComment: checked(body.regressionComment),
    commentsInbound: checked(body.commentsInbound),
    commentsOutbound: checked(body.commentsOutbound),
    // A form without the section (an older page) leaves the update settings as saved.
    ...(body.updateInterval === undefined
      ? {}
      : {
          updateFields: rows(body, { field: 'updateFieldName', value: 'updateFieldValue' }),
          updateInterval: str(body.updateInterval),
          updateMilestones: str(body.updateMilestones),
        }),
  };
}

/** The Routes tab: routes and value maps. */
export function readRoutesTab(body: Body, base: JiraForm): JiraForm {
  return { ...base, routes: readRoutes(body), valueMaps: readValueMaps(body) };
}

/**
 * The form as it is saved: blank rows (just added, left empty) dropped. The page shown after a
 * failed save is this form, so the indices in the API's error paths are the page's.
 */
export function compactForm(form: JiraForm): JiraForm {
  return { ...form, createWhen: form.createWhen.filter((c) => !isBlankRow(c)), routes: compactRoutes(form.routes), valueMaps: compactValueMaps(form.valueMaps) };
}

function thresholdToBody(form: JiraForm): Record<string, unknown> | null {
  const count = form.thresholdCount.trim();
  const within = form.thresholdWithinMinutes.trim();
  return count === '' && within === '' ? null : { count: intOrText(count), withinMinutes: intOrText(within) };
}

/** The settings PUT body for a form (what the API would receive), the token only when one was typed. */
export function toPutBody(form: JiraForm, secret?: string): Record<string, unknown> {
  const auth: Record<string, unknown> =
    form.authType === 'bearer'
      ? { type: 'bearer', ...(secret !== undefined ? { token: secret } : {}) }
      : { type: form.authType, ...(form.email.trim() ? { email: form.email } : {}), ...(secret !== undefined ? { apiToken: secret } : {}) };
  const fieldMapping: Record<string, string> = {};
  if (form.fieldMappingLabels.trim()) fieldMapping.labels = form.fieldMappingLabels;
  if (form.fieldMappingDescription.trim()) fieldMapping.description = form.fieldMappingDescription;
  return {
    enabled: form.enabled,
    apiUrl: form.apiUrl,
    auth,
    projectKey: form.projectKey,
    issueType: form.issueType,
    subject: form.subject,
    labels: form.labels,
    description: form.description,
    fieldMapping,
    customFields: form.customFields,
    fixVersionSync: { enabled: form.fixVersionEnabled, versionAttribute: form.versionAttribute },
    sync: { inbound: form.syncInbound, outbound: form.syncOutbound },
    statusMapping: form.statusMapping.map((m) => ({ jiraStatus: m.jiraStatus, state: m.state, ...(m.primary ? { primary: true } : {}), ...(m.resolution ? { resolution: m.resolution } : {}) })),
    userMapping: form.userMapping.map((m) => ({
      user: m.user,
      ...(m.jiraAccountId ? { jiraAccountId: m.jiraAccountId } : {}),
      ...(m.jiraUsername ? { jiraUsername: m.jiraUsername } : {}),
    })),
    autoMapUsersByEmail: form.autoMapUsersByEmail,
    createRules: {
      onNewGroup: form.onNewGroup,
      minCount: intOrText(form.minCount),
      maxTicketsPerHour: intOrText(form.maxTicketsPerHour),
      when: form.createWhen.map(conditionToBody),
      threshold: thresholdToBody(form),
      onRegression: form.onRegression,
    },
    regression: { reopenJira: form.reopenJira, comment: form.regressionComment },
    comments: { inbound: form.commentsInbound, outbound: form.commentsOutbound },
    routes: routesToBody(form.routes),
    valueMaps: valueMapsToBody(form.valueMaps),
    versions: { affects: form.versionsAffects, createMissing: form.versionsCreateMissing },
    updates: {
      fields: form.updateFields,
      minIntervalMinutes: intOrText(form.updateInterval),
      milestones: form.updateMilestones.split(',').map((m) => m.trim()).filter((m) => m !== '').map(intOrText),
    },
  };
}

export const AFFECTS_OPTIONS = [
  { value: 'none', label: 'Leave Affects Version/s empty' },
  { value: 'top', label: "The group's most frequent version" },
  { value: 'all', label: 'Every version the group was seen in' },
];

export const STATE_OPTIONS: readonly GroupState[] = GROUP_STATES;
