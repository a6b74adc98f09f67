import { DEFAULT_ROUTE, JiraRoute, StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';

/** A route resolved against the settings: what ticket creation, preview and Test connection use. */
export interface EffectiveRoute<S extends StoredJiraSettings> {
  /** The route taken: a route's name, or DEFAULT_ROUTE. */
  name: string;
  /** The top-level settings with the route's own members laid over them. */
  settings: S;
  /** Set when the route asked for no longer exists and the default route was taken instead: why (for the activity log). */
  fallback?: string;
}

/** The members a route may set; each one it leaves out comes from the top level. */
function laidOver<S extends StoredJiraSettings>(settings: S, route: JiraRoute): S {
  const given = <T>(own: T | undefined | null, top: T): T => (own === undefined || own === null ? top : own);
  return {
    ...settings,
    projectKey: route.projectKey,
    issueType: given(route.issueType, settings.issueType),
    subject: given(route.subject, settings.subject),
    labels: given(route.labels, settings.labels),
    description: given(route.description, settings.description),
    // A route's custom fields replace the top level's list: another project may lack the fields it names.
    customFields: given(route.customFields, settings.customFields),
  };
}

/** Whether the settings have a route of this name (DEFAULT_ROUTE always exists). */
export function routeExists(settings: Pick<StoredJiraSettings, 'routes'>, routeName: string): boolean {
  return routeName === DEFAULT_ROUTE || settings.routes.some((r) => r.name === routeName);
}

/** The names of every route, the default first. */
export function routeNames(settings: Pick<StoredJiraSettings, 'routes'>): string[] {
  return [DEFAULT_ROUTE, ...settings.routes.map((r) => r.name)];
}

/**
 * The settings a ticket of the named route is created with: the route's projectKey, and its
 * issueType, subject, labels, description and customFields where it gives them, the top level's
 * otherwise. A name the settings no longer have (they changed since it was recorded) gives the
 * default route, saying why.
 */
export function routeSettings<S extends StoredJiraSettings>(settings: S, routeName: string): EffectiveRoute<S> {
  if (routeName === DEFAULT_ROUTE) return { name: DEFAULT_ROUTE, settings };
  const route = settings.routes.find((r) => r.name === routeName);
  if (!route) {
    return {
      name: DEFAULT_ROUTE,
      settings,
      fallback: `route '${routeName}' no longer exists in the settings, so the default route (project ${settings.projectKey}) was taken`,
    };
  }
  return { name: route.name, settings: laidOver(settings, route) };
}
