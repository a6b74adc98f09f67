import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { SETTINGS_DEFAULTS } from '@app/modules/jira-settings/jira-settings';
import { indexedItems, joinList, splitList } from '@app/modules/ui/forms/indexed-fields';
import {
  JiraForm, compactForm, formFromSettings, readBehaviourTab, readRoutesTab, toPutBody,
} from '@app/modules/ui/forms/jira-settings-form';
import { formFieldOf, problemField } from '@app/modules/ui/forms/jira-settings-form-fields';
import { applyListAction, parseListAction } from '@app/modules/ui/forms/list-actions';
import { previewView } from '@app/modules/ui/forms/preview-view';
import { valueMapProblems } from '@app/modules/ui/forms/value-maps-form';

const saved = (over: Partial<JiraSettingsResponseDto> = {}): JiraSettingsResponseDto =>
  ({
    ...SETTINGS_DEFAULTS,
    apiUrl: 'https://jira.example.com/rest/api/2/',
    auth: { type: 'basic', email: 'bot@acme.com', tokenSet: true },
    projectKey: 'CHK',
    subject: '{{title}}',
    webhook: { url: 'https://cb.example.com/webhooks/jira/web' },
    health: { credentials: 'ok' },
    ...over,
  }) as JiraSettingsResponseDto;

const act = (form: JiraForm, action: string) => applyListAction(form, parseListAction(action)!);

describe('Jira settings form: indexed fields', () => {
  it('reads list items by index, in index order, gaps closed, nested lists the same way', () => {
    const body = {
      'routes[3].name': 'b',
      'routes[0].name': 'a',
      'routes[0].when[1].op': 'exists',
      'routes[0].when[0].op': '=',
      'routes[10].name': 'c',
      'routesX[0].name': 'not a route',
      'routes[x].name': 'not an index',
      routes: 'no index',
    };
    const routes = indexedItems(body, 'routes');
    expect(routes.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(indexedItems(routes[0], 'when')).toEqual([{ op: '=' }, { op: 'exists' }]);
  });

  it('splits lists on commas, keeps escaped commas and backslashes, and joins them back', () => {
    expect(splitList('a, b ,c,, ')).toEqual(['a', 'b', 'c']);
    expect(splitList('1\\,5, C:\\temp, x\\\\')).toEqual(['1,5', 'C:\\temp', 'x\\']);
    for (const list of [['a', 'b'], ['1,5', 'x\\', 'C:\\temp\\,'], ['']]) expect(splitList(joinList(list))).toEqual(list.filter((v) => v !== ''));
  });
});

describe('Jira settings form: routes, conditions, value maps, versions', () => {
  const routesBody = {
    'routes[0].name': 'mobile',
    'routes[0].projectKey': 'mob',
    'routes[0].issueType': '',
    'routes[0].subject': '',
    'routes[0].labels': 'mobile, $platform',
    'routes[0].description': '',
    'routes[0].when[0].attribute': 'platform',
    'routes[0].when[0].op': 'in',
    'routes[0].when[0].value': 'iOS, Android',
    'routes[0].when[0].any': 'on',
    'routes[0].when[1].attribute': 'title',
    'routes[0].when[1].op': 'matches',
    'routes[0].when[1].value': ' ^Fatal ',
    'routes[0].when[2].attribute': 'build',
    'routes[0].when[2].op': 'exists',
    'routes[0].when[2].value': 'ignored',
    'routes[0].when[3].attribute': '',
    'routes[0].when[3].op': '=',
    'routes[0].when[3].value': '',
    'routes[0].customFields[0].field': 'Team',
    'routes[0].customFields[0].value': 'apps',
    'routes[0].customFields[1].field': '',
    'routes[0].customFields[1].value': '',
    // A route added and left blank is not a route.
    'routes[1].name': '',
    'routes[1].projectKey': '',
    'routes[1].when[0].attribute': '',
    'routes[1].when[0].op': '=',
    'routes[1].when[0].value': '',
    'routes[2].name': 'web',
    'routes[2].projectKey': 'WEB',
    'routes[2].issueType': 'Task',
    'routes[2].when[0].attribute': 'version',
    'routes[2].when[0].op': '>=',
    'routes[2].when[0].value': ' 2.0 ',
    'valueMaps[0].name': 'severity',
    'valueMaps[0].rows[0].key': 'fatal',
    'valueMaps[0].rows[0].value': 'Highest',
    'valueMaps[0].rows[1].key': '*',
    'valueMaps[0].rows[1].value': 'Medium',
    'valueMaps[0].rows[2].key': '',
    'valueMaps[0].rows[2].value': '',
    'valueMaps[1].name': '',
    'valueMaps[1].rows[0].key': '',
    'valueMaps[1].rows[0].value': '',
  };

  it('turns the Routes tab into the API body: blank rows and routes dropped, empty texts left to the default route', () => {
    const form = compactForm(readRoutesTab(routesBody, formFromSettings(saved())));
    const body = toPutBody(form);
    expect(body.routes).toEqual([
      {
        name: 'mobile',
        projectKey: 'mob',
        labels: 'mobile, $platform',
        when: [
          { attribute: 'platform', op: 'in', value: ['iOS', 'Android'], any: true },
          { attribute: 'title', op: 'matches', value: ' ^Fatal ' },
          { attribute: 'build', op: 'exists' },
        ],
        customFields: [{ field: 'Team', value: 'apps' }],
      },
      { name: 'web', projectKey: 'WEB', issueType: 'Task', when: [{ attribute: 'version', op: '>=', value: '2.0' }] },
    ]);
    expect(body.valueMaps).toEqual({ severity: { fatal: 'Highest', '*': 'Medium' } });
    // The other tabs' values come from what is saved.
    expect(body).toMatchObject({ projectKey: 'CHK', versions: { affects: 'none', createMissing: false } });
  });

  it('keeps blank rows while editing: only saving drops them', () => {
    const form = readRoutesTab(routesBody, formFromSettings(saved()));
    expect(form.routes).toHaveLength(3);
    expect(form.routes[0].when).toHaveLength(4);
    expect(form.valueMaps).toHaveLength(2);
  });

  it('reads creation conditions, the threshold and onRegression from the Behaviour tab', () => {
    const base = formFromSettings(saved());
    const read = (extra: Record<string, string>) =>
      toPutBody(compactForm(readBehaviourTab({ minCount: '1', maxTicketsPerHour: '100', onNewGroup: 'on', ...extra }, base))).createRules;
    expect(read({ 'createRules.when[0].attribute': 'environment', 'createRules.when[0].op': '!=', 'createRules.when[0].value': 'staging', thresholdCount: '', thresholdWithinMinutes: '' })).toEqual({
      onNewGroup: true,
      minCount: 1,
      maxTicketsPerHour: 100,
      when: [{ attribute: 'environment', op: '!=', value: 'staging' }],
      threshold: null,
      onRegression: false,
    });
    expect(read({ thresholdCount: '5', thresholdWithinMinutes: ' 10 ', onRegression: 'on' })).toMatchObject({ threshold: { count: 5, withinMinutes: 10 }, onRegression: true });
    // Not a plain integer, or missing: passed on as typed for the API's validation to name.
    expect(read({ thresholdCount: 'five', thresholdWithinMinutes: '' })).toMatchObject({ threshold: { count: 'five', withinMinutes: '' } });
  });

  it('gives back the saved routes, creation rules, value maps and versions unchanged when another tab is saved', () => {
    const settings = saved({
      createRules: {
        onNewGroup: true,
        minCount: 3,
        maxTicketsPerHour: 50,
        when: [{ attribute: 'environment', op: 'in', value: ['prod', 'eu,west'] }, { attribute: 'build', op: 'exists', any: true }],
        threshold: { count: 10, withinMinutes: 60 },
        onRegression: true,
      },
      routes: [
        { name: 'mobile', when: [{ attribute: 'platform', op: 'contains', value: 'os' }], projectKey: 'MOB', issueType: 'Task', subject: 'M: {{title}}', labels: 'm', description: 'd', customFields: [{ field: 'Team', value: 'x' }] },
        { name: 'catch-all', when: [], projectKey: 'ALL' },
      ],
      valueMaps: { severity: { fatal: 'Highest', '*': 'Medium' }, team: {} },
      versions: { affects: 'all', createMissing: true },
    });
    const body = toPutBody(compactForm(formFromSettings(settings)));
    expect(body.createRules).toEqual(settings.createRules);
    expect(body.routes).toEqual(settings.routes);
    expect(body.valueMaps).toEqual(settings.valueMaps);
    expect(body.versions).toEqual(settings.versions);
  });

  it('names a map without a name or with one the API refuses, or a map or key given twice, by the form field', () => {
    expect(
      valueMapProblems([
        { name: 'sev', rows: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }, { key: '', value: 'the empty value' }] },
        { name: 'sev', rows: [] },
        { name: '', rows: [{ key: 'x', value: 'y' }] },
        { name: 'not a name', rows: [] },
      ]).map((p) => p.path),
    ).toEqual(['valueMaps[0].rows[1].key', 'valueMaps[1].name', 'valueMaps[2].name', 'valueMaps[3].name']);
  });
});

describe('Jira settings form: list buttons', () => {
  const form = () =>
    formFromSettings(
      saved({
        routes: [
          { name: 'a', when: [{ attribute: 'x', op: '=', value: '1' }], projectKey: 'A' },
          { name: 'b', when: [], projectKey: 'B' },
          { name: 'c', when: [], projectKey: 'C' },
        ],
        valueMaps: { sev: { fatal: 'High' } },
      }),
    );
  const names = (f: JiraForm) => f.routes.map((r) => r.name);

  it('adds, moves and removes routes, naming what to focus: the item\'s first field, or the list\'s Add button', () => {
    const f = form();
    expect(act(f, 'add:routes')).toBe('routes[3].name');
    expect(f.routes[3]).toMatchObject({ name: '', when: [{ attribute: '', op: '=', value: '', any: false }] });
    expect(act(f, 'up:routes[2]')).toBe('routes[1].name');
    expect(names(f)).toEqual(['a', 'c', 'b', '']);
    expect(act(f, 'down:routes[0]')).toBe('routes[1].name');
    expect(names(f)).toEqual(['c', 'a', 'b', '']);
    expect(act(f, 'remove:routes[3]')).toBe('add:routes');
    expect(act(f, 'up:routes[0]')).toBe('');
    expect(act(f, 'down:routes[2]')).toBe('');
    expect(names(f)).toEqual(['c', 'a', 'b']);
  });

  it('adds and removes rows of nested lists', () => {
    const f = form();
    expect(act(f, 'add:routes[0].when')).toBe('routes[0].when[1].attribute');
    expect(act(f, 'remove:routes[0].when[0]')).toBe('add:routes[0].when');
    expect(f.routes[0].when).toEqual([{ attribute: '', op: '=', value: '', any: false }]);
    expect(act(f, 'add:routes[1].customFields')).toBe('routes[1].customFields[0].field');
    expect(act(f, 'add:createRules.when')).toBe('createRules.when[0].attribute');
    expect(act(f, 'add:valueMaps[0].rows')).toBe('valueMaps[0].rows[1].key');
    expect(act(f, 'add:valueMaps')).toBe('valueMaps[1].name');
    expect(act(f, 'remove:valueMaps[0]')).toBe('add:valueMaps');
    expect(f.valueMaps).toEqual([{ name: '', rows: [{ key: '', value: '' }] }]);
  });

  it('refuses actions on lists or items the form does not have', () => {
    const f = form();
    for (const action of ['add:statusMapping', 'remove:routes[3]', 'up:routes[9].when[0]', 'add:routes[5].when', 'remove:routes', 'add:valueMaps[4].rows']) {
      expect({ action, result: act(f, action) }).toEqual({ action, result: null });
    }
    expect(parseListAction('save')).toBeNull();
    expect(parseListAction(['add:routes'])).toBeNull();
    expect(names(f)).toEqual(['a', 'b', 'c']);
  });
});

describe('Jira settings form: which field shows an error', () => {
  const maps = { valueMaps: [{ name: 'severity', rows: [{ key: 'fatal', value: 'x' }, { key: '*', value: 'y' }] }, { name: 'sev.x', rows: [] }] };

  it('names the fields of routes and condition rows by the API paths, brackets or dots', () => {
    expect(formFieldOf('routes[1].when[0].op')).toBe('routes[1].when[0].op');
    expect(formFieldOf('routes.1.when.0.value')).toBe('routes[1].when[0].value');
    expect(formFieldOf('routes[0].customFields[2].field')).toBe('routes[0].customFields[2].field');
    expect(formFieldOf('routes[2].projectKey')).toBe('routes[2].projectKey');
    expect(formFieldOf('routes[2]')).toBe('routes[2]');
    expect(formFieldOf('routes')).toBe('routes');
    expect(formFieldOf('createRules.when[3].value')).toBe('createRules.when[3].value');
    expect(formFieldOf('createRules.when')).toBe('createRules.when');
    expect(formFieldOf('createRules.threshold.count')).toBe('thresholdCount');
    expect(formFieldOf('createRules.threshold.withinMinutes')).toBe('thresholdWithinMinutes');
    expect(formFieldOf('createRules.threshold')).toBe('threshold');
    expect(formFieldOf('createRules.onRegression')).toBe('onRegression');
    expect(formFieldOf('createRules.minCount')).toBe('minCount');
    expect(formFieldOf('versions.affects')).toBe('versionsAffects');
    expect(formFieldOf('versions.createMissing')).toBe('versionsCreateMissing');
    expect(formFieldOf('customFields[1].field')).toBe('customFields');
    expect(formFieldOf('customFields.1.field')).toBe('customFields');
  });

  it('finds the map and row a value map path names, in any notation', () => {
    expect(formFieldOf('valueMaps', maps)).toBe('valueMaps');
    expect(formFieldOf('valueMaps.severity', maps)).toBe('valueMaps[0].name');
    expect(formFieldOf('valueMaps.severity.fatal', maps)).toBe('valueMaps[0].rows[0].value');
    expect(formFieldOf('valueMaps["severity"]["*"]', maps)).toBe('valueMaps[0].rows[1].value');
    expect(formFieldOf('valueMaps[severity]', maps)).toBe('valueMaps[0].name');
    expect(formFieldOf('valueMaps.sev.x', maps)).toBe('valueMaps[1].name');
    expect(formFieldOf('valueMaps.unknown', maps)).toBe('valueMaps');
  });

  it('takes the more precise path a list rule puts at the start of its message', () => {
    expect(problemField({ path: 'routes', message: 'routes[1].name: the name is already used by routes[0]' })).toBe('routes[1].name');
    expect(problemField({ path: 'routes', message: 'routes must hold at most 50 routes' })).toBe('routes');
    expect(problemField({ path: 'valueMaps', message: 'valueMaps.severity.fatal must be a string' }, maps)).toBe('valueMaps[0].rows[0].value');
    expect(problemField({ path: 'valueMaps', message: 'valueMaps.severity has a key of 300 characters' }, maps)).toBe('valueMaps[0].name');
    expect(problemField({ path: 'subject', message: "subject:1:10: unexpected 't'" })).toBe('subject');
    // A leading path about another member is not taken.
    expect(problemField({ path: 'routes', message: 'customFields[1].field: x' })).toBe('routes');
  });
});

describe('Preview as the page shows it', () => {
  const settings = { issueType: 'Bug', routes: [{ name: 'mobile', when: [], projectKey: 'MOB', issueType: 'Task' }, { name: 'web', when: [], projectKey: 'WEB' }] };
  const result = (route: string, issuetype: unknown) => ({ route, fields: { project: { key: route === 'mobile' ? 'MOB' : 'CHK' }, issuetype, summary: 'S', labels: ['a'] }, warnings: [], errors: [] });

  it("names the route, and says when the group's conditions chose it", () => {
    expect(previewView(result('mobile', { id: '10002' }), settings, undefined, 'mobile').route).toBe('mobile');
    expect(previewView(result('mobile', { id: '10002' }), settings, 'fp-1', undefined)).toMatchObject({ route: "mobile (chosen by the group's conditions)", source: 'group fp-1' });
  });

  it("shows the route's issue type by the name its settings give (Jira's fields may carry only the id), else the default route's", () => {
    expect(previewView(result('mobile', { id: '10002' }), settings, undefined, 'mobile').project).toBe('MOB · Task (10002)');
    expect(previewView(result('web', { name: 'Bug' }), settings, undefined, 'web').project).toBe('CHK · Bug');
    expect(previewView(result('default', { id: '10004' }), settings, undefined, undefined).project).toBe('CHK · Bug (10004)');
  });
});
