import type { JiraFlavour } from './jira-types';

/**
 * Connection settings for one Jira site, as stored in a project's Jira integration
 * settings (docs/behaviour.md, "Jira integration settings").
 */

/**
 * HTTP basic auth: Jira Cloud takes `email` + API token, Jira Server / Data Center
 * `username` + password or token. One of `email` / `username` is required.
 */
export interface JiraBasicAuth {
  type: 'basic';
  email?: string;
  username?: string;
  apiToken: string;
}

/** Bearer auth with a Data Center personal access token (PAT). */
export interface JiraBearerAuth {
  type: 'bearer';
  token: string;
}

export type JiraAuth = JiraBasicAuth | JiraBearerAuth;

export interface JiraConnection {
  /** The Jira REST v2 base; normalised with `normalizeApiUrl`. */
  apiUrl: string;
  auth: JiraAuth;
  /**
   * The site's own web address for browse links (serverInfo.baseUrl), when the API is reached elsewhere
   * (a scoped token: `https://api.atlassian.com/ex/jira/{cloudId}/rest/api/2/`). Absent: derived from apiUrl.
   */
  siteUrl?: string;
  /** When absent the client detects it once via `GET serverInfo`. */
  flavour?: JiraFlavour;
}
