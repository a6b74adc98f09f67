import { ConditionSubject } from '@app/modules/conditions';
import { DEFAULT_ROUTE, JiraRoute, SETTINGS_DEFAULTS } from '@app/modules/jira-settings/jira-settings';
import { selectRoute } from '@app/modules/tickets/routing';

const subject = (over: Partial<ConditionSubject> = {}): ConditionSubject => ({
  title: 'SIGSEGV in parse_header',
  fingerprint: 'fp-1',
  classifiers: ['SIGSEGV'],
  attributes: { platform: { iOS: 5, Android: 1 }, version: { '2.4.0': 3, '2.10.1': 1 } },
  ...over,
});

const settings = (routes: JiraRoute[], versionAttribute = 'version') => ({
  routes,
  fixVersionSync: { ...SETTINGS_DEFAULTS.fixVersionSync, versionAttribute },
});

const ios: JiraRoute = { name: 'ios', projectKey: 'MOB', when: [{ attribute: 'platform', op: '=', value: 'iOS' }] };
const crashes: JiraRoute = { name: 'crashes', projectKey: 'CRASH', when: [{ attribute: 'classifier', op: '=', value: 'SIGSEGV' }] };

describe('selectRoute', () => {
  it('takes the default route without routes (settings saved before routes)', () => {
    expect(selectRoute(settings([]), subject())).toBe(DEFAULT_ROUTE);
  });

  it('takes the first route whose rows all hold, in the order of the settings', () => {
    expect(selectRoute(settings([ios, crashes]), subject())).toBe('ios');
    expect(selectRoute(settings([crashes, ios]), subject())).toBe('crashes');
  });

  it('needs every row of a route to hold', () => {
    const iosCrash: JiraRoute = { name: 'ios-crash', projectKey: 'MOB', when: [...ios.when, { attribute: 'title', op: 'contains', value: 'timeout' }] };
    expect(selectRoute(settings([iosCrash, crashes]), subject())).toBe('crashes');
    expect(selectRoute(settings([iosCrash, crashes]), subject({ title: 'Network Timeout' }))).toBe('ios-crash');
  });

  it('falls through to the default when no route holds', () => {
    expect(selectRoute(settings([ios]), subject({ attributes: { platform: { Android: 2 } } }))).toBe(DEFAULT_ROUTE);
  });

  it('reads the top value unless the row says any', () => {
    const android: JiraRoute = { name: 'android', projectKey: 'MOB', when: [{ attribute: 'platform', op: '=', value: 'Android' }] };
    expect(selectRoute(settings([android]), subject())).toBe(DEFAULT_ROUTE);
    expect(selectRoute(settings([{ ...android, when: [{ ...android.when[0], any: true }] }]), subject())).toBe('android');
  });

  it('a route without rows holds for every group (a catch-all before the default)', () => {
    expect(selectRoute(settings([ios, { name: 'rest', projectKey: 'OPS', when: [] }]), subject({ attributes: {} }))).toBe('rest');
  });

  it('compares versions on the Fix Version sync attribute', () => {
    const newer: JiraRoute = { name: 'newer', projectKey: 'NEXT', when: [{ attribute: 'release', op: '>=', value: '2.9.0' }] };
    const g = subject({ attributes: { release: { '2.10.1': 4 } } });
    expect(selectRoute(settings([newer], 'release'), g)).toBe('newer');
  });
});
