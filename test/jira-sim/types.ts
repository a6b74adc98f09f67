// Public types of the Jira simulator. Other test code imports these from './index'.

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
}

export interface SimComment {
  id: string;
  body: string;
  created: string;
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

export interface SimFieldDef {
  id: string;
  name: string;
  custom: boolean;
  schema: { type: string; items?: string; custom?: string; system?: string; customId?: number };
  allowedValues?: Array<{ id: string; value?: string; name?: string }>;
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
