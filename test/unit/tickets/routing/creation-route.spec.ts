import { DEFAULT_ROUTE, JiraSettings, SETTINGS_DEFAULTS } from '@app/modules/jira-settings/jira-settings';
import { jiraProjectKeys } from '@app/modules/jira-settings/domain/jira-projects';
import { creationRoute } from '@app/modules/tickets/creation/creation-route';
import { markerJql } from '@app/modules/tickets/creation/marker';

const settings: JiraSettings = {
  ...SETTINGS_DEFAULTS,
  apiUrl: 'https://jira.example.com/rest/api/2/',
  auth: { type: 'bearer' },
  projectKey: 'CHK',
  subject: '{{title}}',
  routes: [{ name: 'ios', projectKey: 'MOB', when: [{ attribute: 'platform', op: '=', value: 'iOS' }] }],
};
const group = (over: { platform?: string; ticketCreateAttemptedAt?: Date | null; ticketRoute?: string | null } = {}) => ({
  title: 't',
  fingerprint: 'fp',
  classifiers: [],
  attributes: { platform: { [over.platform ?? 'iOS']: 1 } },
  ticketCreateAttemptedAt: over.ticketCreateAttemptedAt ?? null,
  ticketRoute: over.ticketRoute ?? null,
});

describe('creationRoute', () => {
  it("a first attempt takes the route the group's conditions select, and looks in its project", () => {
    expect(creationRoute(settings, group())).toMatchObject({ name: 'ios', searchProject: 'MOB', settings: { projectKey: 'MOB' } });
    expect(creationRoute(settings, group({ platform: 'Android' }))).toMatchObject({ name: DEFAULT_ROUTE, searchProject: 'CHK' });
  });

  it('a retry keeps the recorded route, whatever the attributes say now', () => {
    const r = creationRoute(settings, group({ platform: 'Android', ticketCreateAttemptedAt: new Date(), ticketRoute: 'ios' }));
    expect(r).toMatchObject({ name: 'ios', searchProject: 'MOB', settings: { projectKey: 'MOB' } });
    expect(r.fallback).toBeUndefined();
  });

  it('an attempt recorded before routes went to the top-level project', () => {
    expect(creationRoute(settings, group({ ticketCreateAttemptedAt: new Date(), ticketRoute: null }))).toMatchObject({ name: DEFAULT_ROUTE, searchProject: 'CHK' });
  });

  it('a recorded route that is gone gives the default route and a search in every project', () => {
    const r = creationRoute(settings, group({ ticketCreateAttemptedAt: new Date(), ticketRoute: 'tablets' }));
    expect(r).toMatchObject({ name: DEFAULT_ROUTE, searchProject: null, fallback: expect.stringContaining("route 'tablets' no longer exists") });
  });
});

describe('marker search and webhook projects', () => {
  it('searches one project, or every project', () => {
    expect(markerJql('MOB', 'cb-1')).toBe('project = "MOB" AND labels = "cb-1"');
    expect(markerJql(null, 'cb-1')).toBe('labels = "cb-1"');
  });

  it("lists the top level's project, then each route's, once each", () => {
    expect(jiraProjectKeys({ projectKey: 'CHK', routes: [] })).toEqual(['CHK']);
    const routes = ['MOB', 'chk', 'MOB', 'OPS'].map((projectKey, i) => ({ name: `r${i}`, projectKey, when: [] }));
    expect(jiraProjectKeys({ projectKey: 'CHK', routes })).toEqual(['CHK', 'MOB', 'OPS']);
  });
});
