import { createHash } from 'node:crypto';

/**
 * The token a note's Jira copy carries on its last line, so a retried post finds the comment instead of
 * posting twice, and the copy's webhook is known as the note before its Jira id is stored. Letters, digits
 * and single hyphens: Cloud keeps comments as ADF and regenerates wiki text, which keeps such a word intact.
 */
export const noteMarker = (noteId: string) => `crashbridge-note-${createHash('sha256').update(`note:${noteId}`).digest('hex').slice(0, 16)}`;

const MARKER = /crashbridge-note-[0-9a-f]{16}(?![0-9a-f])/;
/** The marker line as added by `withMarker`, and what Cloud's regenerated text may make of it. */
const MARKER_LINE = /\s*\n*\s*crashbridge-note-[0-9a-f]{16}\s*$/;

/** Characters the marker line takes: a note's body may use Jira's limit less these. */
export const MARKER_SUFFIX_CHARS = `\n\n${noteMarker('0')}`.length;

export const withMarker = (body: string, marker: string) => `${body}\n\n${marker}`;

/** A comment's text without our marker line, and the marker when it carries one. */
export function splitMarker(text: string): { body: string; marker: string | null } {
  const marker = MARKER.exec(text)?.[0] ?? null;
  return { body: marker ? text.replace(MARKER_LINE, '') : text, marker };
}
