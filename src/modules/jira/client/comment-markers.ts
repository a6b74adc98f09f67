import { createHash } from 'node:crypto';

/**
 * The markers of the comments crashbridge posts on its own (milestones, regressions, backlinks), in one place: a
 * job that must comment once looks for its marker before posting (findComment), and comments that carry one are
 * not brought back from Jira as comments of the group. Each is a plain-text token of letters, digits and single
 * hyphens: Jira Cloud keeps comments as ADF and gives wiki text back regenerated, so brackets or other markup may
 * not come back as sent, while such a word does. The tag (from the group's id) keeps two groups linked to one
 * issue apart. A person's note carries its own marker (noteMarker, below) and is shown on the group.
 */
const tag = (groupId: string) => createHash('sha256').update(`group:${groupId}`).digest('hex').slice(0, 8);

export const milestoneMarker = (groupId: string, milestone: number) => `crashbridge-milestone-${tag(groupId)}-${milestone}`;
export const regressionMarker = (groupId: string, n: number) => `crashbridge-regression-${tag(groupId)}-${n}`;
export const backlinkMarker = (groupId: string) => `crashbridge-link-${tag(groupId)}`;

/** Whole token only: milestone 100's marker is a prefix of 1000's. */
export const carriesMarker = (text: string, marker: string) => new RegExp(`${marker}(?![0-9a-z])`).test(text);

/** Markers of comments posted by earlier versions, still recognised: regressions, backlinks. */
const LEGACY = /\[crashbridge regression #\d+\]|\[crashbridge-link:\d+\]/;
const AUTOMATIC = /crashbridge-(?:milestone-[0-9a-f]{8}-\d+|regression-[0-9a-f]{8}-\d+|link-[0-9a-f]{8})(?![0-9a-z])/;

/** Whether a Jira comment is one crashbridge posted on its own (not a person's note). */
export const isAutomaticComment = (text: string) => AUTOMATIC.test(text) || LEGACY.test(text);

// Notes: a person's words, posted to Jira by crashbridge.

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
