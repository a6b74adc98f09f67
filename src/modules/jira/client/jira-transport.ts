import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { EgressGuard } from './egress-guard';
import type { JiraConnection } from './jira-connection';
import { JiraConfigError, type JiraErrorKind } from './jira-errors';
import { egressDenied, errorFromResponse, parseBody, transportError } from './jira-failures';
import type { HttpMethod, JiraRequest, Query } from './jira-types';
import type { RetryPolicy } from './retry-policy';

export const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const USER_AGENT = 'crashbridge';

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

export interface JiraTransportOptions {
  retryPolicy: RetryPolicy;
  timeoutMs: number;
  onAttempt?: (info: JiraAttemptInfo) => void;
  egress?: EgressGuard;
  maxResponseBytes?: number;
}

/** The guard of clients created without one: any host, but never the always-refused addresses. */
let defaultEgress: EgressGuard | undefined;

/**
 * Sends REST v2 calls to one Jira: the egress check, the axios call, the retry policy and
 * the per-attempt report. Holds the Authorization header, so it is never handed out.
 */
export class JiraTransport {
  readonly #http: AxiosInstance;
  readonly #retryPolicy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #onAttempt?: (info: JiraAttemptInfo) => void;
  readonly #egress: EgressGuard;
  /** Why apiUrl's host may not be reached (checked before every request), or null. */
  readonly #refusal: string | null;
  /** The admin webhook API of the same site, beside REST v2. */
  readonly #webhooksBase: string;

  constructor(apiUrl: string, connection: JiraConnection, options: JiraTransportOptions) {
    this.#retryPolicy = options.retryPolicy;
    this.#timeoutMs = options.timeoutMs;
    this.#onAttempt = options.onAttempt;
    this.#egress = options.egress ?? (defaultEgress ??= new EgressGuard());
    this.#refusal = this.#egress.refusalFor(apiUrl);
    this.#webhooksBase = apiUrl.replace(/rest\/api\/2\/$/, 'rest/webhooks/1.0/');
    this.#http = axios.create({
      baseURL: apiUrl,
      // Every connection resolves its host through the guard's lookup hook.
      ...this.#egress.pooled,
      // HTTP_PROXY / HTTPS_PROXY are not followed: through a proxy the guard would
      // check the proxy's address instead of Jira's, and the proxy would see the token.
      proxy: false,
      maxContentLength: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      timeout: this.#timeoutMs,
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

  /** Keeps credentials out of util.inspect should the transport ever be logged. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'JiraTransport {}';
  }

  toJSON(): Record<string, unknown> {
    return {};
  }

  /** Any REST v2 call, through the retry policy; resolves to the parsed body. */
  async request<T = unknown>(req: JiraRequest): Promise<T> {
    return (await this.execute<T>(req, false)) as T;
  }

  /** Like `request`, but a 404 resolves to null. */
  requestOrNull<T = unknown>(req: JiraRequest): Promise<T | null> {
    return this.execute<T>(req, true);
  }

  private async execute<T>(req: JiraRequest, nullOn404: boolean): Promise<T | null> {
    const policy = this.#retryPolicy;
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const path = req.path.replace(/^\/+/, '');
    const route = req.route ?? path;
    let attemptStartedAt = 0;
    return policy.run<T | null>(
      async (attempt) => {
        attemptStartedAt = policy.now();
        const response = await this.send(req, path, idempotent);
        const report = (outcome: JiraAttemptInfo['outcome']): void =>
          this.report({
            method: req.method,
            path,
            route,
            status: response.status,
            outcome,
            durationMs: policy.now() - attemptStartedAt,
            attempt,
          });
        if (response.status === 404 && nullOn404) {
          report('not_found');
          return null;
        }
        const error = errorFromResponse(req.method, path, response, policy.now());
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
            durationMs: policy.now() - attemptStartedAt,
            attempt,
            retryInMs: decision.retry ? decision.delayMs : undefined,
          }),
      },
    );
  }

  private async send(req: JiraRequest, path: string, idempotent: boolean): Promise<AxiosResponse<unknown>> {
    if (this.#refusal) throw egressDenied(req.method, path, this.#refusal);
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    try {
      return await this.#http.request({
        method: req.method,
        // An absolute URL (same host, so the same egress checks) for the webhook API; axios then ignores baseURL.
        url: req.api === 'webhooks' ? this.#webhooksBase + path : path,
        params: req.query ? stripUndefined(req.query) : undefined,
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: deadline,
        // Without keep-alive: non-idempotent requests go on a fresh connection, so a stale
        // pooled socket can never turn them into an `unknown_outcome`.
        ...(idempotent ? {} : this.#egress.fresh),
      });
    } catch (caught) {
      // Never keep the axios error (its config holds the Authorization header).
      throw transportError(caught, req.method, path, deadline.aborted, this.#timeoutMs);
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
