import { JiraConfigError } from './jira-errors';

/** Path segments that start Jira's web UI; a pasted browser URL is cut there. */
const UI_SEGMENTS = new Set(['browse', 'secure', 'projects', 'plugins', 'login.jsp', 'issues']);

/**
 * Normalises a Jira REST base URL to the REST v2 base, always ending with `/`:
 *
 * - `https://host/rest/api/2/`, `https://host/jira/rest/api/2` → unchanged but for the final `/`
 * - `https://host` or `https://host/jira` (no `/rest/api/...`) → `/rest/api/2/` appended
 * - `/rest/api/3` and `/rest/api/latest` are rewritten to `/rest/api/2`: this client speaks v2
 *   (plain-text / wiki-markup descriptions and comments; v3 wants Atlassian Document Format),
 *   and v2 is available wherever v3 is
 * - anything after the version (`/rest/api/2/issue/CHK-1`) is dropped
 * - a browser URL (`/browse/CHK-1`, `/secure/...`, `/projects/...`) is cut before that part;
 *   on `*.atlassian.net` (Cloud has no context path) the whole path is dropped
 * - host is lower-cased, default ports and the fragment are dropped
 *
 * Throws `JiraConfigError` (field `apiUrl`) for: an unparsable URL, a scheme other than
 * http(s), credentials in the URL (`https://user:pw@host`), a query string, a `/rest/...`
 * path that is not the core REST API (e.g. `/rest/agile/1.0`), or an API version other than
 * 2, 3 or latest. The message never repeats credentials.
 */
export function normalizeApiUrl(input: string): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new JiraConfigError('invalid_url', 'apiUrl', 'apiUrl is empty');
  }
  const raw = input.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new JiraConfigError(
      'invalid_url',
      'apiUrl',
      'apiUrl must be an absolute URL starting with https:// (or http://)',
    );
  }
  if (scheme !== 'http' && scheme !== 'https') {
    throw new JiraConfigError(
      'unsupported_protocol',
      'apiUrl',
      `apiUrl must use http or https, not ${scheme}`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new JiraConfigError('invalid_url', 'apiUrl', 'apiUrl is not a valid URL');
  }
  if (url.username || url.password) {
    throw new JiraConfigError(
      'credentials_in_url',
      'apiUrl',
      'apiUrl must not contain credentials (user:password@); put them in auth',
    );
  }
  if (!url.hostname) {
    throw new JiraConfigError('invalid_url', 'apiUrl', 'apiUrl has no host');
  }
  if (url.search) {
    throw new JiraConfigError(
      'query_in_url',
      'apiUrl',
      `apiUrl must not have a query string (${url.protocol}//${url.host}${url.pathname}?...)`,
    );
  }

  const segments = url.pathname.split('/').filter((s) => s !== '');
  const restAt = segments.findIndex((s) => s.toLowerCase() === 'rest');
  let prefix: string[];
  if (restAt >= 0) {
    if (segments[restAt + 1]?.toLowerCase() !== 'api') {
      throw new JiraConfigError(
        'unsupported_path',
        'apiUrl',
        `apiUrl points at /${segments.slice(restAt, restAt + 3).join('/')}, not the Jira REST API (/rest/api/2)`,
      );
    }
    const version = segments[restAt + 2]?.toLowerCase();
    if (version !== undefined && version !== '2' && version !== '3' && version !== 'latest') {
      throw new JiraConfigError(
        'unsupported_api_version',
        'apiUrl',
        `apiUrl names REST API version ${segments[restAt + 2]}; use /rest/api/2`,
      );
    }
    prefix = segments.slice(0, restAt);
  } else if (isAtlassianCloudHost(url.hostname)) {
    prefix = [];
  } else {
    const ui = segments.findIndex((s) => UI_SEGMENTS.has(s.toLowerCase()));
    prefix = ui >= 0 ? segments.slice(0, ui) : segments;
  }
  const contextPath = prefix.length ? `/${prefix.join('/')}` : '';
  return `${url.protocol}//${url.host}${contextPath}/rest/api/2/`;
}

/** The web base of an already normalised REST base: `https://host/jira/rest/api/2/` → `https://host/jira`. */
export function siteUrlOf(normalizedApiUrl: string): string {
  return normalizedApiUrl.replace(/\/rest\/api\/2\/$/, '');
}

/**
 * Whether the REST base goes through Atlassian's API gateway, as scoped API tokens (and OAuth 2.0) must:
 * `https://api.atlassian.com/ex/jira/{cloudId}/rest/api/2/`. The gateway serves no web pages, so browse
 * links need the site's own address (serverInfo.baseUrl).
 */
export function isAtlassianGatewayUrl(apiUrl: string): boolean {
  const url = new URL(apiUrl);
  return url.hostname.toLowerCase() === 'api.atlassian.com' && /^\/ex\/jira\/[^/]+\//.test(url.pathname);
}

/**
 * The site's web base (no trailing slash) for a REST base URL:
 * `https://host/jira/rest/api/2/` → `https://host/jira`.
 */
export function siteUrlFromApiUrl(apiUrl: string): string {
  return siteUrlOf(normalizeApiUrl(apiUrl));
}

/** `<site>/browse/KEY` for a REST base URL. */
export function browseUrlFor(apiUrl: string, issueKey: string): string {
  return `${siteUrlFromApiUrl(apiUrl)}/browse/${encodeURIComponent(issueKey)}`;
}

export function isAtlassianCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host.endsWith('.atlassian.net') || host.endsWith('.jira.com') || host.endsWith('.jira-dev.com');
}
