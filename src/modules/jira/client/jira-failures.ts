// What a Jira answer or a failed request means, as a JiraError the retry policy and callers read:
// HTTP status (with Seraph login headers and redirects), transport codes, the egress guard.
import type { AxiosResponse } from 'axios';
import { JiraError, extractJiraMessages, kindForStatus } from './jira-errors';
import type { HttpMethod } from './jira-types';
import { retryAfterFromHeaders } from './retry-policy';

const PRE_CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);
const TLS_CODES = /^(CERT_|ERR_TLS_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_)/;

/** The body as JSON when it parses, else as it came (an HTML error page, plain text). */
export function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data.trim() === '') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** The answer, if it is an error (else null). `now` dates a Retry-After given as an HTTP date. */
export function errorFromResponse(method: HttpMethod, path: string, response: AxiosResponse<unknown>, now: number): JiraError | null {
  const status = response.status;
  const headers = response.headers as Record<string, unknown>;
  const loginReason = String(headers['x-seraph-loginreason'] ?? '');
  const loginFailed = /AUTHENTICATED_FAILED|AUTHENTICATION_DENIED/.test(loginReason);
  if (status >= 200 && status < 300 && !loginFailed) return null;

  const body = parseBody(response.data);
  const { errorMessages, errors } = extractJiraMessages(body);
  if (loginFailed && status !== 401) {
    errorMessages.push(
      /AUTHENTICATION_DENIED/.test(loginReason)
        ? 'Jira denied the login (CAPTCHA required after failed attempts); sign in through the browser once'
        : 'Jira rejected the credentials',
    );
    return new JiraError({ kind: 'auth', status, errorMessages, errors, method, path });
  }
  if (status >= 300 && status < 400) {
    const location = String(headers.location ?? '').replace(/[?#].*$/, '');
    errorMessages.push(`Jira redirected to ${location || 'another address'}; check apiUrl`);
    return new JiraError({ kind: 'bad_request', status, errorMessages, errors, method, path, retryable: false });
  }
  const kind = kindForStatus(status);
  const retryAfterMs =
    status === 429 || status >= 500 ? retryAfterFromHeaders(headers, now) : undefined;
  return new JiraError({
    kind,
    status,
    errorMessages,
    errors,
    method,
    path,
    retryAfterMs,
    // Jira may have done the work before failing, or a gateway may have forwarded it;
    // only a 503 with Retry-After is a refusal before processing.
    mayHaveBeenProcessed: status >= 500 && !(status === 503 && retryAfterMs !== undefined),
  });
}

export function unexpectedResponse(method: HttpMethod, path: string, what: string): JiraError {
  return new JiraError({
    kind: 'server',
    method,
    path,
    retryable: false,
    detail: `unexpected response: ${what}`,
  });
}

export function transportError(
  caught: unknown,
  method: HttpMethod,
  path: string,
  deadlineHit: boolean,
  timeoutMs: number,
): JiraError {
  const e = (caught ?? {}) as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  const message = typeof e.message === 'string' ? e.message : 'request failed';
  if (code === 'EGRESS_DENIED') {
    // Refused by the lookup hook before any connection was made.
    const reason = e.cause?.code === 'EGRESS_DENIED' && typeof e.cause.message === 'string' ? e.cause.message : message;
    return egressDenied(method, path, reason);
  }
  const tooLarge = /^maxContentLength size of (\d+) exceeded$/.exec(message);
  if (tooLarge) {
    // The answer came, so a write may have been applied; reading it again would not help.
    return new JiraError({
      kind: 'server',
      method,
      path,
      detail: `answer larger than ${tooLarge[1]} bytes`,
      retryable: false,
      mayHaveBeenProcessed: true,
    });
  }
  if (deadlineHit || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new JiraError({
      kind: 'timeout',
      method,
      path,
      code: code ?? 'ETIMEDOUT',
      detail: `no answer within ${timeoutMs} ms`,
      mayHaveBeenProcessed: true,
    });
  }
  if (code && PRE_CONNECT_CODES.has(code)) {
    return new JiraError({ kind: 'network', method, path, code, detail: `${code}`, mayHaveBeenProcessed: false });
  }
  if (code && TLS_CODES.test(code)) {
    return new JiraError({
      kind: 'network',
      method,
      path,
      code,
      detail: `TLS: ${code}`,
      retryable: false,
      mayHaveBeenProcessed: false,
    });
  }
  return new JiraError({
    kind: 'network',
    method,
    path,
    code,
    detail: code ? `${sanitize(message)} (${code})` : sanitize(message),
    mayHaveBeenProcessed: true,
  });
}

/** The egress guard refused the connection: never retried, nothing was sent. */
export function egressDenied(method: HttpMethod, path: string, reason: string): JiraError {
  return new JiraError({
    kind: 'egress_denied',
    method,
    path,
    code: 'EGRESS_DENIED',
    detail: reason,
    retryable: false,
    mayHaveBeenProcessed: false,
    message: `Jira connection refused: ${sanitize(reason)}`,
  });
}

/** Transport messages can quote URLs; drop anything that looks like one. */
function sanitize(message: string): string {
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>').slice(0, 200);
}
