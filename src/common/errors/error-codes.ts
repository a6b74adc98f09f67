/**
 * Every `code` an error answer can carry (the `code` of the error body, see ErrorResponseDto),
 * with its meaning. DomainError takes only these, so an unknown code fails the type check, and
 * the OpenAPI document lists them.
 */
export const ERROR_CODES = {
  AUTH_SECRET_REQUIRED: 'The Jira settings need a token or password that was not sent and is not stored (new integration, changed auth type, or a connection test without one).',
  BATCH_TOO_LARGE: 'An ingest batch has more groups than one request may carry.',
  CONFLICTING_UPDATE: 'A group update sets resolvedUntil together with another state.',
  DOCS_UNAVAILABLE: 'The OpenAPI document (/docs, /docs-json) could not be built; the service log says why.',
  EMPTY_UPDATE: 'A group update sets none of state, assignee, resolvedUntil.',
  FAILURE_NOT_FOUND: 'No failed job with this id in the project.',
  FAILURE_NOT_RETRYABLE: 'The job is not failed (already retried, running or done), or the same work is already queued.',
  GROUP_NOT_FOUND: 'No group with this fingerprint in the project.',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was already used for a request with a different body.',
  INTEGRATION_NOT_CONFIGURED: 'The project has no enabled Jira integration, so no ticket can be created.',
  INTEGRATION_NOT_FOUND: 'The project has no Jira settings.',
  INVALID_BODY: 'The request body is not of the expected form (for ingestion: a group or {"groups": [...]}).',
  INVALID_CURSOR: 'The list cursor is not one a previous page returned.',
  INVALID_GROUP: 'A reported group, or the group sent to preview, fails validation; the message names its fields.',
  INVALID_IDEMPOTENCY_KEY: 'The Idempotency-Key header is not 1-255 visible ASCII characters.',
  INVALID_PATTERN: 'A regular expression is not usable (RE2 syntax, at most 200 characters) or has the wrong number of capture groups; the message names the field.',
  INVALID_PREVIEW_REQUEST: 'A ticket preview must name a stored group (fingerprint) or send one (group), exactly one of them.',
  JIRA_HOST_REFUSED: 'The Jira apiUrl is refused by the egress rules (JIRA_ALLOWED_HOSTS, private addresses).',
  JIRA_WEBHOOK_FAILED: 'Jira did not register or remove the webhook (unreachable, refused the credentials, or answered an error); the message carries its answer.',
  JIRA_WEBHOOK_FORBIDDEN: "Jira's admin webhook API needs the Administer Jira permission, which the configured credentials lack; the answer lists the manual steps.",
  JIRA_READ_FAILED: 'Jira could not be read to answer the request (unreachable, refused the credentials, or answered an error); the message carries its answer.',
  JIRA_ISSUE_NOT_FOUND: 'The Jira issue to link does not exist or cannot be seen with the configured credentials.',
  NOTIFICATION_SECRET_REQUIRED: 'Notification settings need a secret: none was sent and none is stored.',
  NOTIFICATION_URL_REFUSED: 'The notification url is refused by the egress rules (JIRA_ALLOWED_HOSTS, private addresses).',
  NOTIFICATIONS_NOT_FOUND: 'The project has no notification settings.',
  PROJECT_KEY_TAKEN: 'Another project already uses this key.',
  PROJECT_NOT_FOUND: 'No project with this key.',
  RUN_ALREADY_RUNNING: 'A backfill or import is already running for this project; wait for it to end or cancel it.',
  RUN_NOT_FOUND: 'No backfill or import with this id in the project.',
  SECRET_UNREADABLE: 'A saved secret (the Jira API token, the webhook secret) cannot be decrypted, e.g. after ENCRYPTION_KEY changed: enter it again, or set the old key in ENCRYPTION_KEY_PREVIOUS.',
  TICKET_NOT_FOUND: 'The group has no linked Jira issue.',
  UNKNOWN_ROUTE: "The route a ticket preview asks for (`route`) is neither one of the settings' routes nor `default`.",
  UNKNOWN_RESOLUTION: 'A statusMapping entry names a resolution that Jira (asked with the settings being saved) does not have.',
  UNSTORABLE_STRING: 'A string in the request cannot be stored (a NUL character or a lone UTF-16 surrogate).',
  WEBHOOK_NOT_FOUND: 'No Jira webhook at this address: no such project, or a project without a Jira integration (the answer does not say which).',
  WEBHOOK_RATE_LIMITED: 'Too many refused webhook deliveries from this address in the last minute; Retry-After says when to try again.',
  WEBHOOK_UNAUTHORIZED: "The webhook's secret or X-Hub-Signature is missing or wrong.",
  WEBHOOK_UNSUPPORTED: 'The webhook payload cannot be applied (for example it carries no issue); it is kept in the activity log.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];
