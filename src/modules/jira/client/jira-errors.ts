import { STATUS_CODES } from 'node:http';

/**
 * What went wrong talking to Jira.
 *
 * - `auth` 401 (or Jira's `X-Seraph-LoginReason` saying the login failed / needs a CAPTCHA)
 * - `forbidden` 403, `not_found` 404, `conflict` 409, `gone` 410 (e.g. Cloud's removed `/search`)
 * - `bad_request` 400 and every other 4xx (and an unexpected 3xx: redirects are not followed)
 * - `rate_limited` 429, `server` 5xx (or a 2xx body the client cannot understand)
 * - `network` the connection failed, `timeout` no answer in time
 * - `egress_denied` the egress guard refused the host (JIRA_ALLOWED_HOSTS, or a link-local,
 *   metadata or unspecified address, also when a name resolves to one); nothing was sent
 * - `unknown_outcome` a non-idempotent request (create issue, add comment, transition) may
 *   have been applied by Jira but its answer was lost (connection dropped or timed out after
 *   the request was sent, or a 5xx that Jira may have produced after doing the work). Look
 *   the result up before trying again.
 */
export type JiraErrorKind =
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'conflict'
  | 'gone'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'egress_denied'
  | 'unknown_outcome';

export interface JiraErrorInit {
  kind: JiraErrorKind;
  status?: number;
  errorMessages?: string[];
  errors?: Record<string, string>;
  retryable?: boolean;
  /** HTTP method and path relative to the REST base (no query string). */
  method?: string;
  path?: string;
  /** Delay Jira asked for (Retry-After / X-RateLimit-Reset), in ms. */
  retryAfterMs?: number;
  /** True when Jira may have applied the request although no success answer arrived. */
  mayHaveBeenProcessed?: boolean;
  /** Low-level code of a transport failure (`ECONNRESET`, `ETIMEDOUT`, ...). */
  code?: string;
  /** Text for the message when Jira sent no messages (network failures, unexpected bodies). */
  detail?: string;
  /** Overrides the generated message. */
  message?: string;
}

/**
 * An error from a Jira call. Its message carries Jira's own messages, e.g.
 * `Jira 400: customfield_10010: Platform is required.`; it never carries credentials,
 * request headers or query strings.
 */
export class JiraError extends Error {
  override readonly name = 'JiraError';
  readonly kind: JiraErrorKind;
  readonly status?: number;
  readonly errorMessages: string[];
  readonly errors: Record<string, string>;
  readonly retryable: boolean;
  readonly method?: string;
  readonly path?: string;
  readonly retryAfterMs?: number;
  readonly mayHaveBeenProcessed: boolean;
  readonly code?: string;
  /** Transport-level description (network failures), without request details. */
  readonly detail?: string;
  /** How many HTTP attempts were made before this error was thrown (set by the retry policy). */
  attempts = 1;

  constructor(init: JiraErrorInit) {
    super(init.message ?? formatJiraErrorMessage(init));
    this.kind = init.kind;
    this.status = init.status;
    this.errorMessages = init.errorMessages ?? [];
    this.errors = init.errors ?? {};
    this.retryable = init.retryable ?? defaultRetryable(init.kind, init.status);
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
    this.mayHaveBeenProcessed = init.mayHaveBeenProcessed ?? false;
    this.code = init.code;
    this.detail = init.detail;
  }

  /** Turns an uncertain failure of a non-idempotent request into `unknown_outcome`. */
  static unknownOutcome(from: JiraError): JiraError {
    const what =
      from.status !== undefined
        ? formatJiraErrorMessage(from)
        : `${from.kind === 'timeout' ? 'timed out' : 'connection failed'}${from.detail ? `: ${from.detail}` : ''}`;
    const error = new JiraError({
      kind: 'unknown_outcome',
      status: from.status,
      errorMessages: from.errorMessages,
      errors: from.errors,
      retryable: false,
      method: from.method,
      path: from.path,
      mayHaveBeenProcessed: true,
      code: from.code,
      detail: from.detail,
      message:
        `Jira outcome unknown for ${from.method ?? 'request'} ${from.path ?? ''}`.trimEnd() +
        ` (${what}): the request may have been applied; look it up before retrying`,
    });
    error.attempts = from.attempts;
    return error;
  }

  /** Safe for structured logs: no headers, no credentials. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      status: this.status,
      message: this.message,
      errorMessages: this.errorMessages,
      errors: this.errors,
      retryable: this.retryable,
      method: this.method,
      path: this.path,
      retryAfterMs: this.retryAfterMs,
      code: this.code,
      attempts: this.attempts,
    };
  }
}

export function isJiraError(error: unknown, kind?: JiraErrorKind): error is JiraError {
  return error instanceof JiraError && (kind === undefined || error.kind === kind);
}

/** Problems in the connection settings themselves (detected before any request). */
export type JiraConfigErrorCode =
  | 'invalid_url'
  | 'unsupported_protocol'
  | 'credentials_in_url'
  | 'query_in_url'
  | 'unsupported_path'
  | 'unsupported_api_version'
  | 'missing_credentials';

export class JiraConfigError extends Error {
  override readonly name = 'JiraConfigError';
  constructor(
    readonly code: JiraConfigErrorCode,
    /** The settings field at fault: `apiUrl` or `auth`. */
    readonly field: 'apiUrl' | 'auth',
    message: string,
  ) {
    super(message);
  }
}

export function kindForStatus(status: number): JiraErrorKind {
  switch (status) {
    case 401:
      return 'auth';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 410:
      return 'gone';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'server' : 'bad_request';
  }
}

function defaultRetryable(kind: JiraErrorKind, status?: number): boolean {
  switch (kind) {
    case 'rate_limited':
    case 'timeout':
    case 'network':
      return true;
    case 'server':
      // 501 Not Implemented / 505 are answers, not hiccups; a 2xx we cannot parse is not retried.
      return status !== undefined && status >= 500 && status !== 501 && status !== 505;
    default:
      return false;
  }
}

/** `Jira 400: Summary is required.; customfield_10010: Platform is required.` */
export function formatJiraErrorMessage(init: {
  kind: JiraErrorKind;
  status?: number;
  errorMessages?: string[];
  errors?: Record<string, string>;
  detail?: string;
  method?: string;
  path?: string;
}): string {
  const parts = [
    ...(init.errorMessages ?? []),
    ...Object.entries(init.errors ?? {}).map(([field, text]) => `${field}: ${text}`),
  ].filter((p) => p.trim() !== '');
  const where = init.method && init.path ? ` (${init.method} ${init.path})` : '';
  if (init.status !== undefined) {
    const text = parts.length ? parts.join('; ') : init.detail || STATUS_CODES[init.status] || 'error';
    return `Jira ${init.status}: ${text}`;
  }
  const label = init.kind === 'timeout' ? 'Jira request timed out' : `Jira ${init.kind} error`;
  return `${label}${where}${init.detail ? `: ${init.detail}` : ''}`;
}

/**
 * Pulls Jira's `errorMessages` / `errors` out of an error body. Also understands
 * `{ "message": "..." }` (Cloud gateways), `errorMessage`, plain text and HTML pages (title).
 */
export function extractJiraMessages(data: unknown): {
  errorMessages: string[];
  errors: Record<string, string>;
} {
  const errorMessages: string[] = [];
  const errors: Record<string, string> = {};
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const body = data as Record<string, unknown>;
    if (Array.isArray(body.errorMessages)) {
      for (const m of body.errorMessages) if (typeof m === 'string' && m.trim()) errorMessages.push(m);
    }
    if (body.errors && typeof body.errors === 'object' && !Array.isArray(body.errors)) {
      for (const [field, value] of Object.entries(body.errors as Record<string, unknown>)) {
        errors[field] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    }
    for (const key of ['errorMessage', 'message'] as const) {
      const m = body[key];
      if (typeof m === 'string' && m.trim() && !errorMessages.includes(m)) errorMessages.push(m);
    }
  } else if (typeof data === 'string' && data.trim()) {
    const text = data.trim();
    if (/^<(!doctype|html|\?xml)/i.test(text) || /<body[\s>]/i.test(text)) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
      if (title) errorMessages.push(title.replace(/\s+/g, ' '));
    } else {
      errorMessages.push(text.replace(/\s+/g, ' ').slice(0, 500));
    }
  }
  return { errorMessages, errors };
}
