// Shapes of the Jira REST v2 requests and answers the client uses (Cloud and Data Center).

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Query = Record<string, string | number | boolean | undefined>;

export interface JiraRequest {
  method: HttpMethod;
  /** Relative to the REST base, path segments already encoded. */
  path: string;
  /** Which REST API the path is under: Jira's REST v2 (default) or the admin webhook API (`rest/webhooks/1.0/`). */
  api?: 'v2' | 'webhooks';
  route?: string;
  query?: Query;
  body?: unknown;
  /** Default: every method but POST. */
  idempotent?: boolean;
}

/** Jira Cloud (`*.atlassian.net`) or Jira Server / Data Center. */
export type JiraFlavour = 'cloud' | 'datacenter';

/**
 * A Jira user as Jira showed it (a webhook, an issue read back). Cloud identifies people by
 * `accountId` (and may hide `emailAddress`); Data Center by `name`/`key`. Only the fields Jira
 * sent are set.
 */
export interface JiraUserRef {
  accountId?: string;
  name?: string;
  key?: string;
  displayName?: string;
  emailAddress?: string;
}

/** A user named as Jira expects one in `assignee`: by `accountId` (Cloud) or by `name` (Data Center). */
export type JiraUserId = Required<Pick<JiraUserRef, 'accountId'>> | Required<Pick<JiraUserRef, 'name'>>;

export interface JiraUser {
  accountId?: string;
  name?: string;
  key?: string;
  emailAddress?: string;
  displayName?: string;
  active?: boolean;
  accountType?: string;
  timeZone?: string;
  [extra: string]: unknown;
}

export interface JiraServerInfo {
  baseUrl?: string;
  version?: string;
  versionNumbers?: number[];
  deploymentType?: string;
  buildNumber?: number;
  serverTitle?: string;
  [extra: string]: unknown;
}

/** A project version (`GET project/{key}/versions`); archived ones cannot be set on issues. */
export interface JiraVersion {
  id: string;
  name: string;
  archived?: boolean;
  released?: boolean;
}

export interface JiraProject {
  id: string;
  key: string;
  name: string;
  issueTypes?: Array<{ id: string; name: string; subtask?: boolean; [extra: string]: unknown }>;
  [extra: string]: unknown;
}

export interface JiraField {
  id: string;
  key?: string;
  name: string;
  custom: boolean;
  schema?: { type: string; items?: string; system?: string; custom?: string; customId?: number };
  [extra: string]: unknown;
}

export interface JiraStatusCategoryRef {
  /** `new`, `indeterminate`, `done` (or `undefined`). */
  key: string;
}

export interface JiraIssueFields {
  summary?: string;
  description?: string | null;
  labels?: string[];
  status?: { id: string; name: string; statusCategory?: JiraStatusCategoryRef & Record<string, unknown> };
  assignee?: JiraUser | null;
  fixVersions?: Array<{ id?: string; name: string; [extra: string]: unknown }>;
  updated?: string;
  created?: string;
  [field: string]: unknown;
}

export interface JiraIssue {
  id: string;
  key: string;
  self?: string;
  fields: JiraIssueFields;
  [extra: string]: unknown;
}

export interface JiraCreatedIssue {
  id: string;
  key: string;
  self: string;
}

export interface JiraTransition {
  id: string;
  name: string;
  to: { id: string; name: string; statusCategory: JiraStatusCategoryRef };
  /** The transition's screen, by field id: only when read with its fields. */
  fields?: Record<string, JiraTransitionField>;
}

/** A field on a transition screen (`expand=transitions.fields`). */
export interface JiraTransitionField {
  name: string;
  required: boolean;
  hasDefaultValue: boolean;
  allowedValues?: Array<{ id: string; name: string }>;
}

export interface JiraComment {
  id: string;
  body: unknown;
  author?: JiraUser;
  created?: string;
  updated?: string;
  self?: string;
  [extra: string]: unknown;
}

export interface JiraIssueProperty<T = unknown> {
  key: string;
  value: T;
}

export interface JiraEditBody {
  fields?: Record<string, unknown>;
  update?: Record<string, unknown>;
  properties?: Array<{ key: string; value: unknown }>;
  [extra: string]: unknown;
}

export interface JiraSearchOptions {
  /** Fields to return. Default `['*navigable']` on both flavours (Cloud returns only ids otherwise). */
  fields?: string[];
  /** Issues per request. Default 100. */
  pageSize?: number;
  /** Stop after this many issues. Default: all. */
  maxIssues?: number;
  expand?: string[];
  /** Cloud only: issue ids whose latest state the (eventually consistent) search must reflect. */
  reconcileIssues?: number[];
}
