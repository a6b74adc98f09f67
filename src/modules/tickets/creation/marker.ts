import { createHash } from 'node:crypto';

/**
 * The label every created issue carries, so a retry whose create response was
 * lost can find the issue instead of creating a second one. A label, because JQL
 * matches labels exactly and an API-token integration cannot get issue
 * properties indexed (docs/jira.md). One per group: project key + fingerprint.
 */
export function ticketMarker(projectKey: string, fingerprint: string): string {
  return `cb-${createHash('sha256').update(`${projectKey}:${fingerprint}`).digest('hex').slice(0, 16)}`;
}

/** The search for a group's issue by its marker: in one Jira project, or (null) in every project the account sees. */
export function markerJql(jiraProjectKey: string | null, marker: string): string {
  const labels = `labels = "${marker}"`;
  return jiraProjectKey === null ? labels : `project = "${jiraProjectKey.replace(/"/g, '')}" AND ${labels}`;
}
