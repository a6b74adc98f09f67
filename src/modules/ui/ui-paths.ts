/** URLs of the UI pages, built in one place so views and redirects agree. */
export const UI_ROOT = '/ui';

const enc = encodeURIComponent;

/** Only same-site paths under /ui are followed after sign-in (no open redirect). */
export function safeReturnTo(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/ui(\/|$|\?)/.test(value) && !value.startsWith('//') && !value.includes('\\') ? value : undefined;
}

export const signInPath = (returnTo?: string) => `${UI_ROOT}/sign-in${safeReturnTo(returnTo) ? `?next=${enc(returnTo!)}` : ''}`;
export const projectsPath = () => `${UI_ROOT}/projects`;
export const projectPath = (key: string) => `${UI_ROOT}/projects/${enc(key)}`;
export type JiraTab = 'connection' | 'behaviour' | 'routes';
export const jiraPath = (key: string, tab: JiraTab = 'connection') => `${projectPath(key)}/jira?tab=${tab}`;
export const groupsPath = (key: string) => `${projectPath(key)}/groups`;
export const groupPath = (key: string, fingerprint: string) => `${groupsPath(key)}/${enc(fingerprint)}`;
export const activityPath = (key: string) => `${projectPath(key)}/activity`;
export const failuresPath = (key: string) => `${projectPath(key)}/jira/failures`;
export const backfillPath = (key: string) => `${projectPath(key)}/jira/backfill`;
export const notificationsPath = (key: string) => `${projectPath(key)}/notifications`;
