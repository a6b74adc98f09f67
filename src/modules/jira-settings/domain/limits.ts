/** Input limits of the Jira settings API; generous, but they keep a row and a form bounded. */
export const JIRA_PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,9}$/;
export const MAX_NAME = 255;
export const MAX_URL = 2048;
export const MAX_SECRET = 8192;
export const MAX_SUBJECT_TEMPLATE = 2000;
export const MAX_LABELS_TEMPLATE = 2000;
export const MAX_DESCRIPTION_TEMPLATE = 100_000;
export const MAX_FIELD_VALUE_TEMPLATE = 32_767;
export const MAX_CUSTOM_FIELDS = 100;
export const MAX_STATUS_MAPPINGS = 200;
export const MAX_USER_MAPPINGS = 1000;
export const MAX_MIN_COUNT = 1_000_000_000;
export const MAX_TICKETS_PER_HOUR = 10_000;
/** Prefix of generated webhook secrets, so a leaked one is recognisable. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
