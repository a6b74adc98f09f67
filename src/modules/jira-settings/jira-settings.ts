import { GroupState } from '@app/database/entities';
import { Condition } from '@app/modules/conditions';

/** A Jira status mapped to a group state; `primary` picks the target of outbound transitions. */
export interface StatusMappingEntry {
  jiraStatus: string;
  state: GroupState;
  primary?: boolean;
  /** The resolution a transition into this status sets, when its screen asks for one (else Done, Fixed, the first offered). */
  resolution?: string;
}

/** A user of the error service (e.g. an email) and who they are in Jira. */
export interface UserMappingEntry {
  user: string;
  /** Jira Cloud. */
  jiraAccountId?: string;
  /** Jira Server / Data Center. */
  jiraUsername?: string;
}

/** A custom field template: the field's name or id, and the value template. */
export interface CustomFieldTemplate {
  field: string;
  value: string;
}

/**
 * A route: groups whose `when` rows all hold get their ticket in `projectKey`. The first route that holds wins;
 * members a route leaves out come from the top-level settings, which are the default route.
 */
export interface JiraRoute {
  name: string;
  when: Condition[];
  projectKey: string;
  issueType?: string;
  subject?: string;
  labels?: string;
  description?: string;
  customFields?: CustomFieldTemplate[];
}

/** The name the top-level settings go by as a route (preview, the route recorded with a ticket). */
export const DEFAULT_ROUTE = 'default';

/** When a group gets its ticket without a person asking. */
export interface CreateRules {
  onNewGroup: boolean;
  minCount: number;
  maxTicketsPerHour: number;
  /** Rows that must all hold (e.g. only production crashes). */
  when: Condition[];
  /** N occurrences within M minutes (minCount still applies to the total: docs/behaviour.md, "Creation rules"). */
  threshold: { count: number; withinMinutes: number } | null;
  /** A regressed group without a ticket gets one. */
  onRegression: boolean;
}

/** Jira's Affects Version/s, from the group's version attribute (fixVersionSync.versionAttribute). */
export interface VersionSettings {
  /** `top`: the top value; `all`: every version seen; `none`: leave the field alone. */
  affects: 'top' | 'all' | 'none';
  /** Create a version the Jira project lacks, before the issue. */
  createMissing: boolean;
}

/** Keeping the linked issue current: fields written when the group changes, comments at milestone counts. */
export interface IssueUpdates {
  fields: CustomFieldTemplate[];
  /** At most one edit of an issue per this many minutes (0: no wait). */
  minIntervalMinutes: number;
  /** Ascending counts; crossing one comments once. */
  milestones: number[];
}

/** Named lookup tables for templates: `{{map "severity" $severity}}`; `*` is the fallback. */
export type ValueMaps = Record<string, Record<string, string>>;

/** Everything about an integration except its secrets (docs/behaviour.md, "Jira integration settings"). */
export interface JiraSettings {
  enabled: boolean;
  apiUrl: string;
  auth: { type: 'basic'; email: string } | { type: 'bearer' };
  projectKey: string;
  issueType: string;
  subject: string;
  labels: string;
  /** Empty → the default description template. */
  description: string;
  fieldMapping: { labels?: string; description?: string };
  customFields: CustomFieldTemplate[];
  sync: { outbound: boolean; inbound: boolean };
  statusMapping: StatusMappingEntry[];
  userMapping: UserMappingEntry[];
  autoMapUsersByEmail: boolean;
  fixVersionSync: { enabled: boolean; versionAttribute: string };
  regression: { reopenJira: boolean; comment: boolean };
  createRules: CreateRules;
  routes: JiraRoute[];
  valueMaps: ValueMaps;
  versions: VersionSettings;
  /** Jira comments shown on the group (inbound); notes added here posted to the issue (outbound). */
  comments: { inbound: boolean; outbound: boolean };
  updates: IssueUpdates;
}

/** The stored part of JiraSettings (apiUrl and auth live in their own columns). */
export type StoredJiraSettings = Omit<JiraSettings, 'apiUrl' | 'auth'>;

export const SETTINGS_DEFAULTS: Omit<StoredJiraSettings, 'projectKey' | 'subject'> = {
  enabled: true,
  issueType: 'Bug',
  labels: 'crashbridge',
  description: '',
  fieldMapping: {},
  customFields: [],
  sync: { outbound: true, inbound: true },
  statusMapping: [],
  userMapping: [],
  autoMapUsersByEmail: true,
  fixVersionSync: { enabled: false, versionAttribute: 'version' },
  regression: { reopenJira: true, comment: true },
  createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 100, when: [], threshold: null, onRegression: false },
  routes: [],
  valueMaps: {},
  versions: { affects: 'none', createMissing: false },
  comments: { inbound: true, outbound: true },
  updates: { fields: [], minIntervalMinutes: 10, milestones: [] },
};

/** A decrypted integration, for the code that talks to Jira. Never serialized to clients. */
export interface JiraIntegration {
  projectId: string;
  settings: JiraSettings;
  /** API token (basic) or personal access token (bearer). */
  secret: string;
  /** null when it cannot be decrypted (the webhook intake then answers 401; the settings say why). */
  webhookSecret: string | null;
  flavour: 'cloud' | 'datacenter' | null;
  revision: number;
  lastResyncAt: Date | null;
  /** The site's own web address (serverInfo.baseUrl) once learnt; null: apiUrl's. */
  siteUrl: string | null;
}

/** Whether Jira accepts the stored credentials (settings GET, the UI). */
export type CredentialsHealth = { credentials: 'ok' } | { credentials: 'failing'; since: string; message: string };

/** Stored settings over the defaults: a setting added since a row was saved reads as its default. */
export function settingsWithDefaults(stored: object): StoredJiraSettings {
  const s = stored as Partial<StoredJiraSettings>;
  return {
    ...SETTINGS_DEFAULTS,
    ...s,
    // Objects that gained members: a row saved before keeps its values and gets the new members' defaults.
    createRules: { ...SETTINGS_DEFAULTS.createRules, ...s.createRules },
    versions: { ...SETTINGS_DEFAULTS.versions, ...s.versions },
    comments: { ...SETTINGS_DEFAULTS.comments, ...s.comments },
    updates: { ...SETTINGS_DEFAULTS.updates, ...s.updates },
  } as StoredJiraSettings;
}
