import { escapeWikiText, escapeWikiUrl } from '@app/modules/templates';

export interface RegressionCommentInput {
  /** The regressing report's version attribute, as the report sent it. */
  version?: string | null;
  /** The fix version the group was resolved until. */
  resolvedUntil?: string | null;
  /** Occurrences in the regressing report, and in all. */
  count: number;
  total: number;
  /** The group's page in the error tracker, as the reports sent it. */
  link?: string | null;
  marker: string;
}

/**
 * The comment posted on a regression, in Jira wiki markup. Every value that came
 * from a report (the version, the link) or from Jira (the fix version) is escaped,
 * so a crafted version such as `[~accountid:…] !https://x/t.png!` shows as typed
 * instead of mentioning a user or loading an image. The link is offered only when
 * it is an http(s) URL.
 */
export function regressionComment(c: RegressionCommentInput): string {
  const what = c.version
    ? `Crashes from version *${escapeWikiText(c.version)}* arrived, at or above the fix version ${escapeWikiText(c.resolvedUntil ?? '')}.`
    : 'Crashes arrived after the issue was resolved.';
  const link = c.link && isHttpUrl(c.link) ? `\n[View the group in the error tracker|${escapeWikiUrl(c.link)}]` : '';
  return `Regression: ${what}\nOccurrences in the regressing report: ${c.count}; total occurrences: ${c.total}.${link}\n${c.marker}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
