const count = (n: number) => n.toLocaleString('en-US');
const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** The comment, in Jira wiki markup (nothing in it comes from a report). */
export function milestoneComment(c: { milestone: number; firstSeen: Date; lastSeen: Date; marker: string }): string {
  return `This error has now occurred ${count(c.milestone)} times (first seen ${day(c.firstSeen)}, last seen ${day(c.lastSeen)}).\n${c.marker}`;
}
