/**
 * Connection settings for one Jira site, as stored in a project's Jira integration
 * settings (docs/behaviour.md, "Jira integration settings").
 */

/** Jira Cloud (`*.atlassian.net`) or Jira Server / Data Center. */
export type JiraFlavour = 'cloud' | 'datacenter';

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
  /** When absent the client detects it once via `GET serverInfo`. */
  flavour?: JiraFlavour;
}

/** A Jira user reference as Jira expects it in `assignee` and user fields. */
export type JiraUserRef = { accountId: string } | { name: string };
