import { createHash } from 'node:crypto';

/**
 * Marks a milestone comment so that a run after a lost answer finds it instead of commenting twice: a plain-text
 * token, which Jira Cloud gives back as sent through its ADF round trip (brackets and markup may not come back).
 * The tag (from the group's id) keeps two groups linked to one issue apart.
 */
export const milestoneMarker = (groupId: string, milestone: number) =>
  `crashbridge-milestone-${createHash('sha256').update(`group:${groupId}`).digest('hex').slice(0, 8)}-${milestone}`;

/** Whole token only: milestone 100's marker is a prefix of 1000's. */
export const carriesMilestoneMarker = (text: string, marker: string) => new RegExp(`${marker}(?![0-9])`).test(text);

const count = (n: number) => n.toLocaleString('en-US');
const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** The comment, in Jira wiki markup (nothing in it comes from a report). */
export function milestoneComment(c: { milestone: number; firstSeen: Date; lastSeen: Date; marker: string }): string {
  return `This error has now occurred ${count(c.milestone)} times (first seen ${day(c.firstSeen)}, last seen ${day(c.lastSeen)}).\n${c.marker}`;
}
