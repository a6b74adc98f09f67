import { Request } from 'express';

export type Section = 'projects' | 'groups' | 'jira' | 'notifications' | 'activity' | 'status';

/** What every signed-in page's layout needs: the CSRF token for its forms and the navigation. */
export function page(req: Request, title: string, extras: Record<string, unknown> = {}, nav?: { projectKey: string; section: Section }) {
  return {
    title,
    signedIn: true,
    csrf: req.uiSession?.csrfToken,
    projectKey: nav?.projectKey,
    section: nav?.section ?? 'projects',
    [`in_${nav?.section ?? 'projects'}`]: true,
    ...extras,
  };
}
