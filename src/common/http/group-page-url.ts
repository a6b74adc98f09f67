/**
 * The address of a group's page in the web UI, for links placed outside it (a backlink comment in Jira). The UI
 * builds the same path for its own links (`groupPath` in modules/ui/ui-paths.ts; a unit spec keeps them equal).
 */
export function groupPageUrl(publicUrl: string, projectKey: string, fingerprint: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/ui/projects/${encodeURIComponent(projectKey)}/groups/${encodeURIComponent(fingerprint)}`;
}
