import { DEFAULT_ROUTE, JiraRoute, SETTINGS_DEFAULTS, StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';
import { routeExists, routeNames, routeSettings } from '@app/modules/tickets/routing';

const mobile: JiraRoute = {
  name: 'mobile',
  projectKey: 'MOB',
  issueType: 'Crash',
  when: [{ attribute: 'platform', op: 'in', value: ['iOS', 'Android'] }],
  labels: 'mobile',
  customFields: [{ field: 'Device', value: '$device' }],
};
const bare: JiraRoute = { name: 'ops', projectKey: 'OPS', when: [] };

const top = (): StoredJiraSettings => ({
  ...SETTINGS_DEFAULTS,
  projectKey: 'CHK',
  issueType: 'Bug',
  subject: '[$version] {{title}}',
  labels: 'crashbridge, $platform',
  description: 'h3. {{title}}',
  customFields: [{ field: 'Platform', value: '$platform' }],
  routes: [mobile, bare],
});

describe('routeSettings', () => {
  it('the default route is the top-level settings, as they are', () => {
    const s = top();
    expect(routeSettings(s, DEFAULT_ROUTE)).toEqual({ name: DEFAULT_ROUTE, settings: s });
  });

  it("lays a route's members over the top level; what it leaves out is the top level's", () => {
    const r = routeSettings(top(), 'mobile');
    expect(r.name).toBe('mobile');
    expect(r.fallback).toBeUndefined();
    expect(r.settings).toMatchObject({
      projectKey: 'MOB',
      issueType: 'Crash',
      subject: '[$version] {{title}}',
      labels: 'mobile',
      description: 'h3. {{title}}',
      customFields: [{ field: 'Device', value: '$device' }],
    });
    // Everything else is the integration's: the sync, mappings and rules are not per route.
    expect(r.settings.statusMapping).toBe(top().statusMapping);
    expect(r.settings.routes).toEqual([mobile, bare]);
  });

  it('a route with only a project takes issue type, subject, labels, description and custom fields from the top level', () => {
    const r = routeSettings(top(), 'ops');
    expect(r.settings).toMatchObject({
      projectKey: 'OPS',
      issueType: 'Bug',
      subject: '[$version] {{title}}',
      labels: 'crashbridge, $platform',
      description: 'h3. {{title}}',
      customFields: [{ field: 'Platform', value: '$platform' }],
    });
  });

  it('an empty value a route gives is its own (no labels; no custom fields)', () => {
    const s = { ...top(), routes: [{ ...bare, labels: '', customFields: [] }] };
    expect(routeSettings(s, 'ops').settings).toMatchObject({ labels: '', customFields: [] });
  });

  it('does not change the settings it is given', () => {
    const s = top();
    routeSettings(s, 'mobile');
    expect(s).toEqual(top());
  });

  it('a route the settings no longer have gives the default route, saying why', () => {
    const r = routeSettings(top(), 'tablets');
    expect(r.name).toBe(DEFAULT_ROUTE);
    expect(r.settings.projectKey).toBe('CHK');
    expect(r.fallback).toBe("route 'tablets' no longer exists in the settings, so the default route (project CHK) was taken");
  });

  it('knows which names exist', () => {
    expect(routeNames(top())).toEqual(['default', 'mobile', 'ops']);
    expect(routeExists(top(), 'default')).toBe(true);
    expect(routeExists(top(), 'mobile')).toBe(true);
    expect(routeExists(top(), 'Mobile')).toBe(false);
  });
});
