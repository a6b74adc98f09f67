import { ErrorGroupEntity } from '@app/database/entities';
import { DEFAULT_ROUTE, JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { EffectiveRoute, routeSettings, selectRoute } from '@app/modules/tickets/routing';

/** The route of a ticket being created, and where an earlier attempt's issue would be. */
export interface CreationRoute extends EffectiveRoute<JiraSettings> {
  /**
   * The Jira project to look for an earlier attempt's issue in (by its marker label); null: every
   * project (the recorded route is gone, so where that attempt went is no longer known).
   */
  searchProject: string | null;
}

/**
 * A group's first attempt takes the route its conditions select now; every later attempt takes the
 * route recorded with the first (the group's attributes may have changed since), so it creates in,
 * and looks in, the same project. An attempt recorded before routes existed went to the top level.
 */
export function creationRoute(settings: JiraSettings, group: Pick<ErrorGroupEntity, 'ticketCreateAttemptedAt' | 'ticketRoute' | 'title' | 'fingerprint' | 'classifiers' | 'attributes'>): CreationRoute {
  if (!group.ticketCreateAttemptedAt) {
    const route = routeSettings(settings, selectRoute(settings, group));
    return { ...route, searchProject: route.settings.projectKey };
  }
  const route = routeSettings(settings, group.ticketRoute ?? DEFAULT_ROUTE);
  return { ...route, searchProject: route.fallback ? null : route.settings.projectKey };
}
