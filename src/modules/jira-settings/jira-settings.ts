import { GroupState } from '@app/database/entities';

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
  customFields: Array<{ field: string; value: string }>;
  sync: { outbound: boolean; inbound: boolean };
  statusMapping: StatusMappingEntry[];
  userMapping: UserMappingEntry[];
  autoMapUsersByEmail: boolean;
  fixVersionSync: { enabled: boolean; versionAttribute: string };
  regression: { reopenJira: boolean; comment: boolean };
  createRules: { onNewGroup: boolean; minCount: number; maxTicketsPerHour: number };
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
  createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 100 },
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
  return { ...SETTINGS_DEFAULTS, ...(stored as Partial<StoredJiraSettings>) } as StoredJiraSettings;
}
