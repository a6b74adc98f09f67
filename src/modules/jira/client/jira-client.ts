import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import {
  CreateMetaShapeError,
  type JiraCreateMetaField,
  type JiraCreateMetaIssueType,
  type MetaPage,
  nextStartAt,
  normalizeCreateMetaFieldsPage,
  normalizeCreateMetaIssueTypesPage,
} from './createmeta';
import { EgressGuard } from './egress-guard';
import type { JiraConnection } from './jira-connection';
import { JiraConfigError, type JiraErrorKind } from './jira-errors';
import { egressDenied, errorFromResponse, parseBody, transportError, unexpectedResponse } from './jira-failures';
import type {
  HttpMethod, JiraComment, JiraCreatedIssue, JiraEditBody, JiraField, JiraIssue, JiraIssueProperty, JiraProject, JiraRequest,
  JiraFlavour, JiraSearchOptions, JiraServerInfo, JiraTransition, JiraUser, JiraUserId, Query,
} from './jira-types';
import { isAtlassianCloudHost, normalizeApiUrl } from './jira-url';
import { RetryPolicy, type RetryPolicyOptions } from './retry-policy';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_USER_CACHE_TTL_MS = 5 * 60_000;
export const DEFAULT_SEARCH_PAGE_SIZE = 100;
const USER_AGENT = 'crashbridge';
/** Guard against a server that pages forever. */
const MAX_PAGES = 1_000;

/** Reported once per HTTP attempt. */
export interface JiraAttemptInfo {
  method: HttpMethod;
  /** Relative to the REST base, without query string: `issue/CHK-1/transitions`. */
  path: string;
  /** Low-cardinality template for metrics: `issue/{issue}/transitions`. */
  route: string;
  status?: number;
  /** `ok` on success (`not_found` for a 404 that the method maps to null). */
  outcome: 'ok' | JiraErrorKind;
  durationMs: number;
  /** 1-based. */
  attempt: number;
  /** Set when another attempt follows after this delay. */
  retryInMs?: number;
}

export interface JiraClientOptions {
  /** Per HTTP attempt. Default 15 s. */
  timeoutMs?: number;
  /** Options (incl. injectable `sleep`, `now`, `random`) or a ready policy. */
  retry?: RetryPolicyOptions | RetryPolicy;
  onAttempt?: (info: JiraAttemptInfo) => void;
  /** How long `findUserByEmail` remembers an answer (including "nobody"). Default 5 min. */
  userCacheTtlMs?: number;
  /** Where the client may connect (SSRF guard). Default: any host but the always-refused addresses. */
  egress?: EgressGuard;
  /** Largest answer body read from Jira. Default 16 MiB. */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

type CacheEntry = { expiresAt: number; value: Promise<JiraUserId | null> };

/** The guard of clients created without one: any host, but never the always-refused addresses. */
let defaultEgress: EgressGuard | undefined;

const enc = encodeURIComponent;

/**
 * A small Jira REST v2 client (Cloud and Data Center). Paths are relative to the v2 base.
 * Every call goes through the retry policy; errors are `JiraError`s. Credentials live in
 * private fields and never appear in errors, logs or `onAttempt` reports.
 */
export class JiraClient {
  /** Normalised REST v2 base, ending with `/`. */
  readonly apiUrl: string;
  /** Web base without trailing slash (`https://host/jira`). */
  readonly siteUrl: string;
  readonly retryPolicy: RetryPolicy;
  readonly timeoutMs: number;

  readonly #http: AxiosInstance;
  readonly #bearer: boolean;
  readonly #onAttempt?: (info: JiraAttemptInfo) => void;
  readonly #userCacheTtlMs: number;
  readonly #userCache = new Map<string, CacheEntry>();
  readonly #egress: EgressGuard;
  /** Why apiUrl's host may not be reached (checked before every request), or null. */
  readonly #refusal: string | null;
  #flavour?: JiraFlavour;
  #flavourPending?: Promise<JiraFlavour>;

  constructor(connection: JiraConnection, options: JiraClientOptions = {}) {
    this.apiUrl = normalizeApiUrl(connection.apiUrl);
    this.siteUrl = this.apiUrl.replace(/\/rest\/api\/2\/$/, '');
    this.retryPolicy = options.retry instanceof RetryPolicy ? options.retry : new RetryPolicy(options.retry);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#onAttempt = options.onAttempt;
    this.#userCacheTtlMs = options.userCacheTtlMs ?? DEFAULT_USER_CACHE_TTL_MS;
    this.#bearer = connection.auth?.type === 'bearer';
    this.#flavour = connection.flavour;
    this.#egress = options.egress ?? (defaultEgress ??= new EgressGuard());
    this.#refusal = this.#egress.refusalFor(this.apiUrl);
    this.#http = axios.create({
      baseURL: this.apiUrl,
      // Every connection resolves its host through the guard's lookup hook.
      ...this.#egress.pooled,
      // HTTP_PROXY / HTTPS_PROXY are not followed: through a proxy the guard would
      // check the proxy's address instead of Jira's, and the proxy would see the token.
      proxy: false,
      maxContentLength: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      timeout: this.timeoutMs,
      validateStatus: () => true,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
        'X-Atlassian-Token': 'no-check',
        Authorization: authorizationHeader(connection),
      },
    });
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
  async flavour(): Promise<JiraFlavour> {
    if (this.#flavour) return this.#flavour;
    if (!this.#flavourPending) {
      this.#flavourPending = this.detectFlavour().then(
        (f) => {
          this.#flavour = f;
          this.#flavourPending = undefined;
          return f;
        },
        (e: unknown) => {
          this.#flavourPending = undefined;
          throw e;
        },
      );
    }
    return this.#flavourPending;
  }

  private async detectFlavour(): Promise<JiraFlavour> {
    try {
      const info = await this.serverInfo();
      return String(info.deploymentType ?? '').toLowerCase() === 'cloud' ? 'cloud' : 'datacenter';
    } catch (error) {
      if (this.#bearer) return 'datacenter';
      if (isAtlassianCloudHost(new URL(this.apiUrl).hostname)) return 'cloud';
      throw error;
    }
  }

  /** 404 → null. */
  getProject(key: string): Promise<JiraProject | null> {
    return this.requestOrNull<JiraProject>({ method: 'GET', path: `project/${enc(key)}`, route: 'project/{project}' });
  }

  /** All fields, system and custom (`GET field`). */
  listFields(): Promise<JiraField[]> {
    return this.request<JiraField[]>({ method: 'GET', path: 'field' });
  }

  // ---------------------------------------------------------------- create metadata

  /** Issue types creatable in a project; follows paging on both shapes. */
  getCreateMetaIssueTypes(projectKey: string): Promise<JiraCreateMetaIssueType[]> {
    return this.collectPages(
      `issue/createmeta/${enc(projectKey)}/issuetypes`,
      'issue/createmeta/{project}/issuetypes',
      {},
      normalizeCreateMetaIssueTypesPage,
    );
  }

  /** Fields of the create screen for a project and issue type; follows paging on both shapes. */
  getCreateMetaFields(projectKey: string, issueTypeId: string): Promise<JiraCreateMetaField[]> {
    return this.collectPages(
      `issue/createmeta/${enc(projectKey)}/issuetypes/${enc(issueTypeId)}`,
      'issue/createmeta/{project}/issuetypes/{issueType}',
      {},
      normalizeCreateMetaFieldsPage,
    );
  }

  // ---------------------------------------------------------------- issues

  /**
   * `POST issue`. Not retried after it may have reached Jira: a lost answer throws
   * `unknown_outcome`. `extra.properties` sets issue entity properties atomically with the
   * creation (readable by key afterwards).
   */
  async createIssue(
    fields: Record<string, unknown>,
    extra: { update?: Record<string, unknown>; properties?: Array<{ key: string; value: unknown }> } = {},
  ): Promise<JiraCreatedIssue> {
    const created = await this.request<JiraCreatedIssue>({
      method: 'POST',
      path: 'issue',
      body: { fields, ...extra },
      idempotent: false,
    });
    return { id: String(created.id), key: created.key, self: created.self };
  }

  /** 404 → null. `fields` limits the returned fields (Jira's `fields=` parameter). */
  getIssue(idOrKey: string, fields?: string[], options: { expand?: string[] } = {}): Promise<JiraIssue | null> {
    return this.requestOrNull<JiraIssue>({
      method: 'GET',
      path: `issue/${enc(idOrKey)}`,
      route: 'issue/{issue}',
      query: {
        fields: fields?.length ? fields.join(',') : undefined,
        expand: options.expand?.length ? options.expand.join(',') : undefined,
      },
    });
  }

  /** `PUT issue/{idOrKey}` with `{fields, update, properties}`. */
  async editIssue(idOrKey: string, body: JiraEditBody, options: { notifyUsers?: boolean } = {}): Promise<void> {
    await this.request({
      method: 'PUT',
      path: `issue/${enc(idOrKey)}`,
      route: 'issue/{issue}',
      query: { notifyUsers: options.notifyUsers === false ? false : undefined },
      body,
    });
  }

  /** true when deleted, false when there was no such issue (so a repeat is harmless). */
  async deleteIssue(idOrKey: string, options: { deleteSubtasks?: boolean } = {}): Promise<boolean> {
    const result = await this.requestOrNull<unknown>({
      method: 'DELETE',
      path: `issue/${enc(idOrKey)}`,
      route: 'issue/{issue}',
      query: { deleteSubtasks: options.deleteSubtasks ? true : undefined },
    });
    return result !== null;
  }

  async getTransitions(idOrKey: string): Promise<JiraTransition[]> {
    const data = await this.request<{ transitions?: unknown[] }>({
      method: 'GET',
      path: `issue/${enc(idOrKey)}/transitions`,
      route: 'issue/{issue}/transitions',
    });
    return (Array.isArray(data?.transitions) ? data.transitions : []).map(normalizeTransition);
  }

  /** `POST issue/{idOrKey}/transitions`; not retried after it may have reached Jira. */
  async transitionIssue(idOrKey: string, transitionId: string, fields?: Record<string, unknown>): Promise<void> {
    await this.request({
      method: 'POST',
      path: `issue/${enc(idOrKey)}/transitions`,
      route: 'issue/{issue}/transitions',
      body: fields && Object.keys(fields).length ? { transition: { id: transitionId }, fields } : { transition: { id: transitionId } },
      idempotent: false,
    });
  }

  /** Assigns by `{accountId}` (Cloud) or `{name}` (Data Center); null unassigns. */
  async assignIssue(idOrKey: string, user: JiraUserId | null): Promise<void> {
    let body: Record<string, unknown>;
    if (user === null) {
      body = (await this.flavour()) === 'cloud' ? { accountId: null } : { name: null };
    } else if ('accountId' in user) {
      body = { accountId: user.accountId };
    } else {
      body = { name: user.name };
    }
    await this.request({
      method: 'PUT',
      path: `issue/${enc(idOrKey)}/assignee`,
      route: 'issue/{issue}/assignee',
      body,
    });
  }

  /** `POST issue/{idOrKey}/comment` with a wiki-markup body; not retried after it may have reached Jira. */
  addComment(
    idOrKey: string,
    body: string,
    options: { visibility?: { type: 'group' | 'role'; value: string } } = {},
  ): Promise<JiraComment> {
    return this.request<JiraComment>({
      method: 'POST',
      path: `issue/${enc(idOrKey)}/comment`,
      route: 'issue/{issue}/comment',
      body: options.visibility ? { body, visibility: options.visibility } : { body },
      idempotent: false,
    });
  }

  /** All comments, oldest first (follows `startAt`/`total` paging). */
  async getComments(idOrKey: string): Promise<JiraComment[]> {
    const out: JiraComment[] = [];
    let startAt = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const data = await this.request<Record<string, unknown>>({
        method: 'GET',
        path: `issue/${enc(idOrKey)}/comment`,
        route: 'issue/{issue}/comment',
        query: { startAt, maxResults: 100 },
      });
      const items = Array.isArray(data?.comments) ? (data.comments as JiraComment[]) : [];
      out.push(...items);
      const next = nextStartAt(
        {
          items,
          startAt: typeof data?.startAt === 'number' ? data.startAt : undefined,
          total: typeof data?.total === 'number' ? data.total : undefined,
        },
        startAt,
      );
      if (next === undefined) break;
      startAt = next;
    }
    return out;
  }

  /** `PUT issue/{idOrKey}/properties/{key}`; `value` is sent as JSON. */
  async setIssueProperty(idOrKey: string, key: string, value: unknown): Promise<void> {
    await this.request({
      method: 'PUT',
      path: `issue/${enc(idOrKey)}/properties/${enc(key)}`,
      route: 'issue/{issue}/properties/{property}',
      body: value === undefined ? null : value,
    });
  }

  /** `{key, value}`, or null when the issue or the property does not exist. */
  getIssueProperty<T = unknown>(idOrKey: string, key: string): Promise<JiraIssueProperty<T> | null> {
    return this.requestOrNull<JiraIssueProperty<T>>({
      method: 'GET',
      path: `issue/${enc(idOrKey)}/properties/${enc(key)}`,
      route: 'issue/{issue}/properties/{property}',
    });
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
  async *iterateJql(jql: string, options: JiraSearchOptions = {}): AsyncGenerator<JiraIssue> {
    const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_SEARCH_PAGE_SIZE));
    const maxIssues = options.maxIssues ?? Number.POSITIVE_INFINITY;
    const fields = options.fields?.length ? options.fields : ['*navigable'];
    if (maxIssues <= 0) return;
    let yielded = 0;

    if ((await this.flavour()) === 'cloud') {
      let token: string | undefined;
      const seenTokens = new Set<string>();
      for (let page = 0; page < MAX_PAGES; page++) {
        const data = await this.request<Record<string, unknown>>({
          method: 'POST',
          path: 'search/jql',
          idempotent: true,
          body: {
            jql,
            maxResults: Math.min(pageSize, maxIssues - yielded),
            fields,
            ...(token ? { nextPageToken: token } : {}),
            ...(options.expand?.length ? { expand: options.expand.join(',') } : {}),
            ...(options.reconcileIssues?.length ? { reconcileIssues: options.reconcileIssues } : {}),
          },
        });
        const issues = Array.isArray(data?.issues) ? (data.issues as JiraIssue[]) : [];
        for (const issue of issues) {
          yield issue;
          if (++yielded >= maxIssues) return;
        }
        const next = typeof data?.nextPageToken === 'string' ? data.nextPageToken : undefined;
        if (!next || data.isLast === true || issues.length === 0) return;
        if (seenTokens.has(next)) throw unexpectedResponse('POST', 'search/jql', 'nextPageToken repeats');
        seenTokens.add(next);
        token = next;
      }
      return;
    }

    let startAt = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const data = await this.request<Record<string, unknown>>({
        method: 'POST',
        path: 'search',
        idempotent: true,
        body: {
          jql,
          startAt,
          maxResults: Math.min(pageSize, maxIssues - yielded),
          fields,
          ...(options.expand?.length ? { expand: options.expand } : {}),
        },
      });
      const issues = Array.isArray(data?.issues) ? (data.issues as JiraIssue[]) : [];
      for (const issue of issues) {
        yield issue;
        if (++yielded >= maxIssues) return;
      }
      const next = nextStartAt(
        {
          items: issues,
          startAt: typeof data?.startAt === 'number' ? data.startAt : undefined,
          total: typeof data?.total === 'number' ? data.total : undefined,
        },
        startAt,
      );
      if (next === undefined) return;
      startAt = next;
    }
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
    const wanted = email.trim().toLowerCase();
    if (!wanted) return Promise.resolve(null);
    const now = this.retryPolicy.now();
    const cached = this.#userCache.get(wanted);
    if (cached && cached.expiresAt > now) return cached.value;
    if (this.#userCache.size >= 1_000) {
      for (const [k, e] of this.#userCache) if (e.expiresAt <= now) this.#userCache.delete(k);
    }
    const value = this.lookUpUser(wanted);
    const entry: CacheEntry = { expiresAt: now + this.#userCacheTtlMs, value };
    this.#userCache.set(wanted, entry);
    value.catch(() => {
      if (this.#userCache.get(wanted) === entry) this.#userCache.delete(wanted);
    });
    return value;
  }

  private async lookUpUser(email: string): Promise<JiraUserId | null> {
    const cloud = (await this.flavour()) === 'cloud';
    const users = await this.request<unknown>({
      method: 'GET',
      path: 'user/search',
      query: cloud ? { query: email, maxResults: 20 } : { username: email, maxResults: 20 },
    });
    const candidates = (Array.isArray(users) ? (users as JiraUser[]) : []).filter(
      (u) => u && u.active !== false && u.accountType !== 'app' && (cloud ? !!u.accountId : !!u.name),
    );
    const exact = candidates.find((u) => u.emailAddress?.toLowerCase() === email);
    const chosen = exact ?? (candidates.length === 1 && !candidates[0].emailAddress ? candidates[0] : undefined);
    if (!chosen) return null;
    return cloud ? { accountId: chosen.accountId as string } : { name: chosen.name as string };
  }

  /** `<site>/browse/KEY`. */
  browseUrl(key: string): string {
    return `${this.siteUrl}/browse/${enc(key)}`;
  }

  // ---------------------------------------------------------------- transport

  /** Any REST v2 call, through the retry policy; resolves to the parsed body. */
  async request<T = unknown>(req: JiraRequest): Promise<T> {
    return (await this.execute<T>(req, false)) as T;
  }

  /** Like `request`, but a 404 resolves to null. */
  requestOrNull<T = unknown>(req: JiraRequest): Promise<T | null> {
    return this.execute<T>(req, true);
  }

  private async execute<T>(req: JiraRequest, nullOn404: boolean): Promise<T | null> {
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const path = req.path.replace(/^\/+/, '');
    const route = req.route ?? path;
    let attemptStartedAt = 0;
    return this.retryPolicy.run<T | null>(
      async (attempt) => {
        attemptStartedAt = this.retryPolicy.now();
        const response = await this.send(req, path, idempotent);
        const report = (outcome: JiraAttemptInfo['outcome']): void =>
          this.report({
            method: req.method,
            path,
            route,
            status: response.status,
            outcome,
            durationMs: this.retryPolicy.now() - attemptStartedAt,
            attempt,
          });
        if (response.status === 404 && nullOn404) {
          report('not_found');
          return null;
        }
        const error = errorFromResponse(req.method, path, response, this.retryPolicy.now());
        if (error) throw error;
        report('ok');
        return parseBody(response.data) as T;
      },
      {
        idempotent,
        onFailure: (error, decision, attempt) =>
          this.report({
            method: req.method,
            path,
            route,
            status: error.status,
            outcome: decision.retry ? error.kind : decision.error.kind,
            durationMs: this.retryPolicy.now() - attemptStartedAt,
            attempt,
            retryInMs: decision.retry ? decision.delayMs : undefined,
          }),
      },
    );
  }

  private async send(req: JiraRequest, path: string, idempotent: boolean): Promise<AxiosResponse<unknown>> {
    if (this.#refusal) throw egressDenied(req.method, path, this.#refusal);
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.#http.request({
        method: req.method,
        url: path,
        params: req.query ? stripUndefined(req.query) : undefined,
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: deadline,
        // Without keep-alive: non-idempotent requests go on a fresh connection, so a stale
        // pooled socket can never turn them into an `unknown_outcome`.
        ...(idempotent ? {} : this.#egress.fresh),
      });
    } catch (caught) {
      // Never keep the axios error (its config holds the Authorization header).
      throw transportError(caught, req.method, path, deadline.aborted, this.timeoutMs);
    }
  }

  private report(info: JiraAttemptInfo): void {
    if (!this.#onAttempt) return;
    try {
      this.#onAttempt(info);
    } catch {
      // A metrics hook must never break a Jira call.
    }
  }

  private async collectPages<T>(
    path: string,
    route: string,
    query: Query,
    normalize: (data: unknown) => MetaPage<T>,
  ): Promise<T[]> {
    const out: T[] = [];
    let startAt = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const data = await this.request<unknown>({ method: 'GET', path, route, query: { ...query, startAt, maxResults: 50 } });
      let parsed: MetaPage<T>;
      try {
        parsed = normalize(data);
      } catch (e) {
        if (e instanceof CreateMetaShapeError) throw unexpectedResponse('GET', path, e.message);
        throw e;
      }
      out.push(...parsed.items);
      const next = nextStartAt(parsed, startAt);
      if (next === undefined) break;
      startAt = next;
    }
    return out;
  }
}

function authorizationHeader(connection: JiraConnection): string {
  const auth = connection.auth;
  if (auth?.type === 'bearer') {
    if (!auth.token) throw new JiraConfigError('missing_credentials', 'auth', 'bearer auth needs a token');
    return `Bearer ${auth.token}`;
  }
  if (auth?.type === 'basic') {
    const user = auth.email || auth.username;
    if (!user) throw new JiraConfigError('missing_credentials', 'auth', 'basic auth needs an email or a username');
    if (!auth.apiToken) throw new JiraConfigError('missing_credentials', 'auth', 'basic auth needs an apiToken');
    return `Basic ${Buffer.from(`${user}:${auth.apiToken}`, 'utf8').toString('base64')}`;
  }
  throw new JiraConfigError('missing_credentials', 'auth', 'auth.type must be basic or bearer');
}

function stripUndefined(query: Query): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) out[k] = v;
  return out;
}

function normalizeTransition(raw: unknown): JiraTransition {
  const t = (raw ?? {}) as Record<string, any>;
  const to = (t.to ?? {}) as Record<string, any>;
  return {
    id: String(t.id ?? ''),
    name: String(t.name ?? ''),
    to: {
      id: String(to.id ?? ''),
      name: String(to.name ?? ''),
      statusCategory: { key: String(to.statusCategory?.key ?? 'undefined') },
    },
  };
}
