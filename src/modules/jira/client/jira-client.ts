import type { JiraCreateMetaField, JiraCreateMetaIssueType } from './createmeta';
import type { JiraClientOptions } from './jira-client-options';
import { type JiraCommentVisibility, addComment, getComments } from './jira-comments';
import type { JiraConnection } from './jira-connection';
import { JiraFlavourResolver, detectFlavour } from './jira-flavour';
import {
  type JiraCreateIssueExtra, assignIssue, createIssue, deleteIssue, editIssue, getIssue, getIssueProperty, setIssueProperty,
} from './jira-issues';
import { getCreateMetaFields, getCreateMetaIssueTypes, getProject, listFields, listResolutions } from './jira-metadata';
import { type JiraPermission, myPermissions, userSearchFinds } from './jira-permissions';
import { iterateJql } from './jira-search';
import { type BulkCreateOutcome, bulkCreateIssues } from './jira-bulk';
import { getTransitions, transitionIssue } from './jira-transitions';
import { DEFAULT_TIMEOUT_MS, JiraTransport } from './jira-transport';
import type {
  JiraComment, JiraCreatedIssue, JiraEditBody, JiraField, JiraFlavour, JiraIssue, JiraIssueProperty, JiraProject,
  JiraRequest, JiraSearchOptions, JiraServerInfo, JiraTransition, JiraUser, JiraUserId, JiraVersion,
} from './jira-types';
import { isAtlassianGatewayUrl, normalizeApiUrl, siteUrlOf } from './jira-url';
import { DEFAULT_USER_CACHE_TTL_MS, JiraUserLookup } from './jira-users';
import { createVersion, listProjectVersions } from './jira-versions';
import { type JiraWebhook, type JiraWebhookSpec, createWebhook, deleteWebhook, listWebhooks } from './jira-webhooks';
import { RetryPolicy } from './retry-policy';

export { DEFAULT_TIMEOUT_MS, type JiraAttemptInfo } from './jira-transport';
export { DEFAULT_USER_CACHE_TTL_MS } from './jira-users';
export { DEFAULT_SEARCH_PAGE_SIZE } from './jira-search';
export type { JiraWebhook, JiraWebhookSpec } from './jira-webhooks';
export type { JiraClientOptions } from './jira-client-options';

const enc = encodeURIComponent;

/**
 * A small Jira REST v2 client (Cloud and Data Center). Paths are relative to the v2 base.
 * Every call goes through the retry policy; errors are `JiraError`s. Credentials live in
 * the private transport and never appear in errors, logs or `onAttempt` reports. Each
 * method hands its work to the module of its concern (issues, comments, search, …).
 */
export class JiraClient {
  /** Normalised REST v2 base, ending with `/`. */
  readonly apiUrl: string;
  /** Web base without trailing slash (`https://host/jira`); see `resolveSiteUrl`. */
  siteUrl: string;
  readonly retryPolicy: RetryPolicy;
  readonly timeoutMs: number;

  readonly #transport: JiraTransport;
  readonly #flavour: JiraFlavourResolver;
  readonly #users: JiraUserLookup;
  #siteUrlKnown: boolean;

  constructor(connection: JiraConnection, options: JiraClientOptions = {}) {
    this.apiUrl = normalizeApiUrl(connection.apiUrl);
    this.siteUrl = connection.siteUrl ? connection.siteUrl.replace(/\/+$/, '') : siteUrlOf(this.apiUrl);
    this.#siteUrlKnown = !!connection.siteUrl;
    this.retryPolicy = options.retry instanceof RetryPolicy ? options.retry : new RetryPolicy(options.retry);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const transport = new JiraTransport(this.apiUrl, connection, {
      retryPolicy: this.retryPolicy,
      timeoutMs: this.timeoutMs,
      onAttempt: options.onAttempt,
      egress: options.egress,
      maxResponseBytes: options.maxResponseBytes,
    });
    const bearer = connection.auth?.type === 'bearer';
    this.#transport = transport;
    this.#flavour = new JiraFlavourResolver(connection.flavour, () => detectFlavour(transport, this.apiUrl, bearer));
    this.#users = new JiraUserLookup(
      transport,
      () => this.flavour(),
      options.userCacheTtlMs ?? DEFAULT_USER_CACHE_TTL_MS,
      () => this.retryPolicy.now(),
    );
  }

  /** Keeps credentials out of `console.log(client)` / util.inspect. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `JiraClient { apiUrl: '${this.apiUrl}' }`;
  }

  toJSON(): Record<string, unknown> {
    return { apiUrl: this.apiUrl };
  }

  // ---------------------------------------------------------------- basics

  myself(): Promise<JiraUser> {
    return this.request<JiraUser>({ method: 'GET', path: 'myself' });
  }

  serverInfo(): Promise<JiraServerInfo> {
    return this.request<JiraServerInfo>({ method: 'GET', path: 'serverInfo' });
  }

  /**
   * The configured flavour, else detected once via `serverInfo` (`deploymentType: Cloud` →
   * cloud, anything else → datacenter). When detection fails, bearer auth implies
   * datacenter and an `*.atlassian.net` host cloud; otherwise the error is thrown (and
   * detection is tried again on the next call).
   */
  flavour(): Promise<JiraFlavour> {
    return this.#flavour.get();
  }

  /**
   * The site's web base. Through Atlassian's API gateway (scoped tokens) apiUrl says nothing of it, so unless
   * it was given, it is read once from `serverInfo.baseUrl`; elsewhere it is apiUrl's.
   */
  async resolveSiteUrl(): Promise<string> {
    if (this.#siteUrlKnown || !isAtlassianGatewayUrl(this.apiUrl)) return this.siteUrl;
    const base = (await this.serverInfo()).baseUrl;
    if (typeof base === 'string' && /^https?:\/\//i.test(base)) this.siteUrl = base.replace(/\/+$/, '');
    this.#siteUrlKnown = true;
    return this.siteUrl;
  }

  /** `<site>/browse/KEY`. */
  browseUrl(key: string): string {
    return `${this.siteUrl}/browse/${enc(key)}`;
  }

  /** The caller's rights on a project (`GET mypermissions`), by permission key. */
  myPermissions(projectKey: string, keys: readonly string[]): Promise<Record<string, JiraPermission>> {
    return myPermissions(this.#transport, projectKey, keys);
  }

  /** Whether user search finds the caller itself (it finds nobody without "Browse users and groups"). */
  async userSearchFinds(me: JiraUser): Promise<boolean> {
    return userSearchFinds(this.#transport, await this.flavour(), me);
  }

  // ---------------------------------------------------------------- metadata

  /** 404 → null. */
  getProject(key: string): Promise<JiraProject | null> {
    return getProject(this.#transport, key);
  }

  /** Every version of the project, archived ones included. */
  getProjectVersions(key: string): Promise<JiraVersion[]> {
    return listProjectVersions(this.#transport, key);
  }

  /**
   * `POST version` in the project of that id (needs "Administer Projects" or "Administer Jira"). Not retried
   * after it may have reached Jira; a name the project has already is Jira's 400 (see `isVersionNameTaken`).
   */
  createVersion(projectId: string, name: string): Promise<JiraVersion> {
    return createVersion(this.#transport, projectId, name);
  }

  /** The site's resolutions. */
  listResolutions(): Promise<Array<{ id: string; name: string }>> {
    return listResolutions(this.#transport);
  }

  /** All fields, system and custom (`GET field`). */
  listFields(): Promise<JiraField[]> {
    return listFields(this.#transport);
  }

  /** Issue types creatable in a project; follows paging on both shapes. */
  getCreateMetaIssueTypes(projectKey: string): Promise<JiraCreateMetaIssueType[]> {
    return getCreateMetaIssueTypes(this.#transport, projectKey);
  }

  /** Fields of the create screen for a project and issue type; follows paging on both shapes. */
  getCreateMetaFields(projectKey: string, issueTypeId: string): Promise<JiraCreateMetaField[]> {
    return getCreateMetaFields(this.#transport, projectKey, issueTypeId);
  }

  // ---------------------------------------------------------------- issues

  /**
   * `POST issue`. Not retried after it may have reached Jira: a lost answer throws
   * `unknown_outcome`. `extra.properties` sets issue entity properties atomically with the
   * creation (readable by key afterwards).
   */
  createIssue(fields: Record<string, unknown>, extra: JiraCreateIssueExtra = {}): Promise<JiraCreatedIssue> {
    return createIssue(this.#transport, fields, extra);
  }

  /** `POST issue/bulk` (at most 50): one outcome per element, in order. A lost answer throws `unknown_outcome`. */
  bulkCreateIssues(elements: Array<{ fields: Record<string, unknown> }>): Promise<BulkCreateOutcome[]> {
    return bulkCreateIssues(this.#transport, elements);
  }

  /** 404 → null. `fields` limits the returned fields (Jira's `fields=` parameter). */
  getIssue(idOrKey: string, fields?: string[], options: { expand?: string[] } = {}): Promise<JiraIssue | null> {
    return getIssue(this.#transport, idOrKey, fields, options);
  }

  /** `PUT issue/{idOrKey}` with `{fields, update, properties}`. */
  editIssue(idOrKey: string, body: JiraEditBody, options: { notifyUsers?: boolean } = {}): Promise<void> {
    return editIssue(this.#transport, idOrKey, body, options);
  }

  /** true when deleted, false when there was no such issue (so a repeat is harmless). */
  deleteIssue(idOrKey: string, options: { deleteSubtasks?: boolean } = {}): Promise<boolean> {
    return deleteIssue(this.#transport, idOrKey, options);
  }

  /** Assigns by `{accountId}` (Cloud) or `{name}` (Data Center); null unassigns. */
  assignIssue(idOrKey: string, user: JiraUserId | null): Promise<void> {
    return assignIssue(this.#transport, () => this.flavour(), idOrKey, user);
  }

  /** `PUT issue/{idOrKey}/properties/{key}`; `value` is sent as JSON. */
  setIssueProperty(idOrKey: string, key: string, value: unknown): Promise<void> {
    return setIssueProperty(this.#transport, idOrKey, key, value);
  }

  /** `{key, value}`, or null when the issue or the property does not exist. */
  getIssueProperty<T = unknown>(idOrKey: string, key: string): Promise<JiraIssueProperty<T> | null> {
    return getIssueProperty<T>(this.#transport, idOrKey, key);
  }

  /** The transitions the issue's current status offers; `withFields` adds each one's screen. */
  getTransitions(idOrKey: string, options: { withFields?: boolean } = {}): Promise<JiraTransition[]> {
    return getTransitions(this.#transport, idOrKey, options.withFields === true);
  }

  /** `POST issue/{idOrKey}/transitions`; not retried after it may have reached Jira. */
  transitionIssue(idOrKey: string, transitionId: string, fields?: Record<string, unknown>): Promise<void> {
    return transitionIssue(this.#transport, idOrKey, transitionId, fields);
  }

  // ---------------------------------------------------------------- comments

  /** `POST issue/{idOrKey}/comment` with a wiki-markup body; not retried after it may have reached Jira. */
  addComment(idOrKey: string, body: string, options: { visibility?: JiraCommentVisibility } = {}): Promise<JiraComment> {
    return addComment(this.#transport, idOrKey, body, options);
  }

  /** All comments, oldest first (follows `startAt`/`total` paging). */
  getComments(idOrKey: string): Promise<JiraComment[]> {
    return getComments(this.#transport, idOrKey);
  }

  // ---------------------------------------------------------------- search

  /** All matching issues (up to `maxIssues`) as an array. See `iterateJql`. */
  async searchJql(jql: string, options: JiraSearchOptions = {}): Promise<JiraIssue[]> {
    const out: JiraIssue[] = [];
    for await (const issue of this.iterateJql(jql, options)) out.push(issue);
    return out;
  }

  /**
   * Matching issues, fetched page by page as they are consumed. Cloud: `POST search/jql`
   * paging with `nextPageToken` (eventually consistent: a just-created issue may be
   * missing); Data Center: `POST search` paging with `startAt`/`total`.
   */
  iterateJql(jql: string, options: JiraSearchOptions = {}): AsyncGenerator<JiraIssue> {
    return iterateJql(this.#transport, () => this.flavour(), jql, options);
  }

  // ---------------------------------------------------------------- users

  /**
   * The user with this email: `{accountId}` on Cloud (`GET user/search?query=`), `{name}` on
   * Data Center (`GET user/search?username=`); null when nobody matches. A user whose
   * visible email equals the address wins; otherwise a single active match whose email is
   * hidden (Cloud privacy settings) is taken. Answers, "nobody" included, are cached per
   * client for `userCacheTtlMs`; errors are not.
   */
  findUserByEmail(email: string): Promise<JiraUserId | null> {
    return this.#users.findByEmail(email);
  }

  // ---------------------------------------------------------------- webhooks (admin API)

  /** Every webhook of the site (`GET rest/webhooks/1.0/webhook`); needs "Administer Jira" (else 403). */
  listWebhooks(): Promise<JiraWebhook[]> {
    return listWebhooks(this.#transport);
  }

  /** `POST rest/webhooks/1.0/webhook`; not retried after it may have reached Jira. */
  createWebhook(spec: JiraWebhookSpec): Promise<JiraWebhook> {
    return createWebhook(this.#transport, spec);
  }

  /** true when removed, false when Jira had no such webhook. */
  deleteWebhook(id: string): Promise<boolean> {
    return deleteWebhook(this.#transport, id);
  }

  // ---------------------------------------------------------------- any call

  /** Any REST v2 call, through the retry policy; resolves to the parsed body. */
  request<T = unknown>(req: JiraRequest): Promise<T> {
    return this.#transport.request<T>(req);
  }

  /** Like `request`, but a 404 resolves to null. */
  requestOrNull<T = unknown>(req: JiraRequest): Promise<T | null> {
    return this.#transport.requestOrNull<T>(req);
  }
}
