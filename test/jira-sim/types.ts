// Public types of the Jira simulator. Other test code imports these from './index'.
import type { SimPermissions } from './permissions';
import type { SimWorkflow, WorkflowName } from './workflows';

export type Flavour = 'cloud' | 'datacenter';

export interface JiraSimOptions {
  /** default 'cloud' */
  flavour?: Flavour;
  /** e.g. '/jira' → REST at /jira/rest/api/2 (Data Center installs often have one). default '' */
  contextPath?: string;
  /** Cloud search/jql eventual consistency: issues created less than this ago are not returned by search. default 0 */
  searchVisibilityDelayMs?: number;
  /** default 0 (random) */
  port?: number;
  /**
   * Turns on every strict mode that needs no further choice: the flavour's real workflow ('jira' on Data Center,
   * 'resolution-screen' on Cloud), realComments and duplicateFieldNames. Each can still be set on its own. default false
   */
  strict?: boolean;
  /** 'permissive' (default), 'resolution-screen', 'jira' (Data Center's default workflow) or a custom SimWorkflow */
  workflow?: WorkflowName | SimWorkflow;
  /** the bot's rights; default: all of them */
  permissions?: SimPermissions;
  /** Cloud: comments stored as ADF and webhooks carry ADF; Data Center: comment_created without `issue`. default false */
  realComments?: boolean;
  /** two custom fields named "Severity": one of team-managed project MOB, one on CHK's Bug screen. default false */
  duplicateFieldNames?: boolean;
  /** projects besides CHK, each with its own issue types and create screens (e.g. MOBILE_PROJECT). default none */
  projects?: SimProjectInput[];
}

/** A company-managed project besides CHK: its own key, issue types and create screens (createmeta). */
export interface SimProjectInput {
  key: string;
  name: string;
  /** The issue types it offers, each with its create screen; default Bug and Task with CHK's screens. */
  issueTypes?: SimIssueTypeInput[];
}

/** An issue type of a project (an existing type by name, or a new one) and its create screen there. */
export interface SimIssueTypeInput {
  name: string;
  /** Field ids on its create screen, besides summary, issuetype and project (always there); default the type's screen in CHK. */
  fields?: string[];
  /** Field ids required on it, besides summary. */
  required?: string[];
  /** Fields these ids name that /field does not list yet (custom fields of this screen). */
  newFields?: SimFieldDef[];
}

export interface SimComment {
  id: string;
  /** wiki markup as v2 answers it (on Cloud with realComments: converted back from `adf`) */
  body: string;
  /** Cloud with realComments: the stored Atlassian Document Format */
  adf?: AdfDoc;
  created: string;
  /** set once the comment was edited */
  updated?: string;
  /** internal: who wrote it (accountId on Cloud, name on Data Center) */
  author?: string;
}

export interface SimIssue {
  id: string;
  key: string;
  projectKey: string;
  /** Jira's representation: summary, description, labels, issuetype, status {name,id,statusCategory{key,name}}, assignee, fixVersions, created, updated, customfield_* … */
  fields: Record<string, unknown>;
  comments: SimComment[];
  properties: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  content?: AdfNode[];
}
export type AdfDoc = AdfNode & { type: 'doc'; version: 1 };

export interface SimFieldDef {
  id: string;
  name: string;
  custom: boolean;
  schema: { type: string; items?: string; custom?: string; system?: string; customId?: number };
  allowedValues?: Array<{ id: string; value?: string; name?: string; disabled?: boolean }>;
  /** a team-managed project's field: listed by /field, on that project's create screens only */
  projectKey?: string;
}

export interface SimWebhookEvent {
  /** the X-Atlassian-Webhook-Identifier */
  id: string;
  timestamp: number;
  /** the Jira payload */
  body: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  /** the URL path as received (including any contextPath), without the query */
  path: string;
  query: Record<string, string>;
  /** Date.now() when the request arrived */
  at: number;
  /** the status answered; 0 when the socket was destroyed without an answer (dropCreateResponses) */
  status: number;
  body?: unknown;
}

export interface SimUserInput {
  accountId?: string;
  name?: string;
  displayName: string;
  emailAddress?: string;
  emailHidden?: boolean;
}

export interface WebhookRegistration {
  url: string;
  secret?: string;
  /** 'hmac' (Cloud default): X-Hub-Signature: sha256=<hex>; 'query' (Data Center default): ?secret= appended to the url */
  style?: 'hmac' | 'query';
}

export interface SimFaults {
  /** the next N requests answer `status` (default 429) with Retry-After */
  rateLimit(opts: { requests: number; retryAfterSeconds: number; status?: 429 | 503 }): void;
  /** the next N requests answer 500 (or `status`) */
  serverErrors(count: number, status?: number): void;
  /** delay every REST response by ms */
  latency(ms: number): void;
  /** POST /issue creates the issue, then destroys the socket without answering */
  dropCreateResponses(count: number | 'first-per-summary'): void;
  reset(): void;
}
