/**
 * How much of a request body the service reads, in bytes. Only ingestion takes large bodies
 * (a report with its callstack and attributes); Jira webhook deliveries are well under 1 MB;
 * the admin API and the UI forms send settings, templates and small commands.
 */
export const BODY_LIMITS = {
  ingestion: 5 * 1024 * 1024,
  webhook: 1024 * 1024,
  default: 256 * 1024,
} as const;

/** JSON bodies nested deeper than this are refused before they are parsed (no input needs more). */
export const MAX_JSON_DEPTH = 64;
