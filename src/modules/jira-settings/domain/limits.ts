import { OCCURRENCE_WINDOW_MAX_MINUTES } from '@app/database/repositories/group-occurrence.repository';

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
export const MAX_ROUTES = 50;
export const MAX_ROUTE_NAME = 100;
/** Rows per `when` (a route's, or the creation rules'). */
export const MAX_CONDITIONS = 20;
export const MAX_CONDITION_ATTRIBUTE = 100;
export const MAX_CONDITION_VALUE = 1000;
/** Values of an `in` / `not in` row. */
export const MAX_CONDITION_VALUES = 100;
export const MAX_THRESHOLD_COUNT = 1_000_000;
/** One week: as long as occurrence buckets are kept, so a window never reaches past them. */
export const MAX_THRESHOLD_MINUTES = OCCURRENCE_WINDOW_MAX_MINUTES;
export const MAX_VALUE_MAPS = 50;
export const MAX_VALUE_MAP_ENTRIES = 500;
export const MAX_VALUE_MAP_KEY = 255;
export const MAX_VALUE_MAP_VALUE = 255;
/** A map's name as templates write it: `{{map "severity" $severity}}`. */
export const VALUE_MAP_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
