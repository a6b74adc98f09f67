// The Jira settings pages' list editors over HTTP, as a browser without JavaScript uses them:
// routes (add, move, remove; condition rows), creation conditions, value maps, versions, and
// Preview per route. Each list button posts the whole form and the page comes back with the
// change made and every typed value kept, unsaved; Save stores it, or shows the API's errors
// next to the fields they name and stores nothing.
import { JiraSimulator, MOBILE_PROJECT } from '../jira-sim';
import { startSim } from '../support/jira';
import { createProject, startTestApp, TestApp } from '../support/test-app';
import { UiClient, signIn, uiGet, uiPost } from '../support/ui-session';

type Fields = Record<string, string | string[]>;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The value of the input named `name` (a text input or textarea), as the page shows it. */
function inputValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input name="${escapeRe(name)}"[^>]*?value="([^"]*)"`).exec(html);
  if (input) return unescapeHtml(input[1]);
  const area = new RegExp(`<textarea name="${escapeRe(name)}"[^>]*>([^<]*)</textarea>`).exec(html);
  return area ? unescapeHtml(area[1]) : undefined;
}
const valueById = (html: string, id: string) => new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1];
const selected = (html: string, name: string) =>
  new RegExp(`<select [^>]*name="${escapeRe(name)}"[^>]*>(?:(?!</select>).)*?<option value="([^"]*)" selected>`, 's').exec(html)?.[1];
const isChecked = (html: string, name: string) => new RegExp(`name="${escapeRe(name)}"[^>]*checked`).test(html);
const fieldError = (html: string, field: string) =>
  [...html.matchAll(new RegExp(`data-error-for="${escapeRe(field)}">([^<]*)<`, 'g'))].map((m) => unescapeHtml(m[1]));
const routeNames = (html: string) => [...html.matchAll(/<input name="routes\[(\d+)\]\.name"[^>]*?value="([^"]*)"/g)].map((m) => unescapeHtml(m[2]));
const autofocused = (html: string) => /<(?:input|select|textarea) name="([^"]+)"[^>]*\sautofocus/.exec(html)?.[1];

/** The fields of a route as the page posts them. */
function route(i: number, r: { name: string; projectKey: string; issueType?: string; subject?: string; labels?: string; when?: Array<[string, string, string, boolean?]> }): Fields {
  const p = `routes[${i}]`;
  const out: Fields = {
    [`${p}.name`]: r.name,
    [`${p}.projectKey`]: r.projectKey,
    [`${p}.issueType`]: r.issueType ?? '',
    [`${p}.subject`]: r.subject ?? '',
    [`${p}.labels`]: r.labels ?? '',
    [`${p}.description`]: '',
  };
  (r.when ?? []).forEach(([attribute, op, value, any], j) => {
    Object.assign(out, { [`${p}.when[${j}].attribute`]: attribute, [`${p}.when[${j}].op`]: op, [`${p}.when[${j}].value`]: value });
    if (any) out[`${p}.when[${j}].any`] = 'on';
  });
  return out;
}

describe('Jira settings UI: routes, conditions, value maps, versions (HTTP, no JavaScript)', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let ui: UiClient;

  beforeAll(async () => {
    [app, sim] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud', projects: [MOBILE_PROJECT] })]);
    ui = await signIn(app);
  });
  afterAll(async () => {
    await sim.stop();
    await app.stop();
  });

  const connection = (overrides: Fields = {}): Fields => ({
    apiUrl: sim.apiUrl,
    authType: 'basic',
    email: sim.credentials.email,
    secret: sim.credentials.apiToken,
    projectKey: 'CHK',
    issueType: 'Bug',
    subject: '[$version] {{title}}',
    labels: 'crashbridge',
    versionAttribute: 'version',
    versionsAffects: 'none',
    enabled: 'on',
    action: 'save',
    ...overrides,
  });
  const behaviour = (overrides: Fields = {}): Fields => ({ syncInbound: 'on', syncOutbound: 'on', onNewGroup: 'on', minCount: '1', maxTicketsPerHour: '100', reopenJira: 'on', regressionComment: 'on', ...overrides });
  const settingsOf = async (key: string) => (await app.admin('get', `/api/v1/projects/${key}/integrations/jira`).expect(200)).body;

  async function configuredProject(): Promise<string> {
    const { key } = await createProject(app);
    await uiPost(app, ui, `/ui/projects/${key}/jira/connection`, connection()).expect(200);
    return key;
  }
  const postRoutes = (key: string, fields: Fields) => uiPost(app, ui, `/ui/projects/${key}/jira/routes`, fields);

  it('adds, reorders and removes routes with the page’s buttons, keeping what was typed, and saves them in that order', async () => {
    const key = await configuredProject();
    const empty = (await uiGet(app, ui, `/ui/projects/${key}/jira?tab=routes`).expect(200)).text;
    expect(empty).toMatch(/id="no-routes"/);

    // "Add route" on the empty list: one blank route with a blank condition row, its name focused.
    const one = (await postRoutes(key, { action: 'add:routes' }).expect(200)).text;
    expect(inputValue(one, 'routes[0].name')).toBe('');
    expect(inputValue(one, 'routes[0].when[0].attribute')).toBe('');
    expect(autofocused(one)).toBe('routes[0].name');
    expect(one).toMatch(/id="unsaved"/);

    // Typed into it, then "Add route" again, then "Move up" on the second: nothing typed is lost.
    const mobile = route(0, { name: 'mobile', projectKey: 'MOB', labels: 'mobile', when: [['platform', 'in', 'iOS, Android']] });
    const two = (await postRoutes(key, { ...mobile, action: 'add:routes' }).expect(200)).text;
    expect(routeNames(two)).toEqual(['mobile', '']);
    const web = route(1, { name: 'web', projectKey: 'CHK', issueType: 'Task', when: [['platform', '=', 'Web']] });
    const moved = (await postRoutes(key, { ...mobile, ...web, action: 'up:routes[1]' }).expect(200)).text;
    expect(routeNames(moved)).toEqual(['web', 'mobile']);
    expect(inputValue(moved, 'routes[0].issueType')).toBe('Task');
    expect(inputValue(moved, 'routes[1].when[0].value')).toBe('iOS, Android');
    expect(selected(moved, 'routes[1].when[0].op')).toBe('in');
    expect(autofocused(moved)).toBe('routes[0].name');
    expect(moved).toMatch(/value="up:routes\[0\]"[^>]*disabled/); // the first route cannot move up
    // Nothing was saved by the buttons.
    expect((await settingsOf(key)).routes).toEqual([]);

    // Save, in the order shown.
    const save = { ...route(0, { name: 'web', projectKey: 'CHK', issueType: 'Task', when: [['platform', '=', 'Web']] }), ...route(1, { name: 'mobile', projectKey: 'mob', labels: 'mobile', when: [['platform', 'in', 'iOS, Android']] }), action: 'save' };
    await postRoutes(key, save).expect(303).expect('Location', `/ui/projects/${key}/jira?tab=routes&saved=1`);
    expect((await settingsOf(key)).routes).toEqual([
      { name: 'web', when: [{ attribute: 'platform', op: '=', value: 'Web' }], projectKey: 'CHK', issueType: 'Task' },
      { name: 'mobile', when: [{ attribute: 'platform', op: 'in', value: ['iOS', 'Android'] }], projectKey: 'MOB', labels: 'mobile' },
    ]);
    const page = (await uiGet(app, ui, `/ui/projects/${key}/jira?tab=routes&saved=1`).expect(200)).text;
    expect(routeNames(page)).toEqual(['web', 'mobile']);
    expect(page).toMatch(/Settings saved/);

    // "Remove route" on the first, then Save: only mobile is left. Saving another tab keeps the routes.
    const removed = (await postRoutes(key, { ...save, action: 'remove:routes[0]' }).expect(200)).text;
    expect(routeNames(removed)).toEqual(['mobile']);
    await postRoutes(key, { ...route(0, { name: 'mobile', projectKey: 'MOB', labels: 'mobile', when: [['platform', 'in', 'iOS, Android']] }), action: 'save' }).expect(303);
    await uiPost(app, ui, `/ui/projects/${key}/jira/connection`, connection({ secret: '', subject: '{{title}}' })).expect(303);
    await uiPost(app, ui, `/ui/projects/${key}/jira/behaviour`, behaviour()).expect(303);
    expect((await settingsOf(key)).routes.map((r: { name: string }) => r.name)).toEqual(['mobile']);
  });

  it('adds and removes condition rows, and saves every operator, lists, "any value", and exists without a value', async () => {
    const key = await configuredProject();
    const base = route(0, { name: 'ops', projectKey: 'CHK', when: [['environment', '=', 'production']] });
    const added = (await postRoutes(key, { ...base, action: 'add:routes[0].when' }).expect(200)).text;
    expect(inputValue(added, 'routes[0].when[0].value')).toBe('production');
    expect(inputValue(added, 'routes[0].when[1].attribute')).toBe('');
    expect(autofocused(added)).toBe('routes[0].when[1].attribute');

    const rows: Array<[string, string, string, boolean?]> = [
      ['environment', '=', 'production'],
      ['environment', '!=', 'staging'],
      ['platform', 'in', 'iOS, Android\\, tablets'],
      ['platform', 'not in', 'Web'],
      ['title', 'contains', 'timeout'],
      ['classifier', 'matches', '^Null(Pointer)?'],
      ['version', '>=', '2.0'],
      ['version', '<', '3.0', true],
      ['build', 'exists', 'typed but unused'],
      ['', '=', ''], // left blank: not a condition
    ];
    const fields = { ...route(0, { name: 'ops', projectKey: 'CHK', when: rows }), action: 'save' };
    // Remove the third row first: it comes back without it, the others renumbered.
    const removed = (await postRoutes(key, { ...fields, action: 'remove:routes[0].when[2]' }).expect(200)).text;
    expect(inputValue(removed, 'routes[0].when[2].attribute')).toBe('platform');
    expect(selected(removed, 'routes[0].when[2].op')).toBe('not in');
    expect(isChecked(removed, 'routes[0].when[6].any')).toBe(true);

    await postRoutes(key, fields).expect(303);
    expect((await settingsOf(key)).routes[0].when).toEqual([
      { attribute: 'environment', op: '=', value: 'production' },
      { attribute: 'environment', op: '!=', value: 'staging' },
      { attribute: 'platform', op: 'in', value: ['iOS', 'Android, tablets'] },
      { attribute: 'platform', op: 'not in', value: ['Web'] },
      { attribute: 'title', op: 'contains', value: 'timeout' },
      { attribute: 'classifier', op: 'matches', value: '^Null(Pointer)?' },
      { attribute: 'version', op: '>=', value: '2.0' },
      { attribute: 'version', op: '<', value: '3.0', any: true },
      { attribute: 'build', op: 'exists' },
    ]);
    // The saved rows are shown as they were typed (a comma inside a list value escaped).
    const page = (await uiGet(app, ui, `/ui/projects/${key}/jira?tab=routes`).expect(200)).text;
    expect(inputValue(page, 'routes[0].when[2].value')).toBe('iOS, Android\\, tablets');
    expect(selected(page, 'routes[0].when[8].op')).toBe('exists');
  });

  it('saves creation conditions, the threshold and onRegression from the Behaviour tab; empty threshold fields mean none', async () => {
    const key = await configuredProject();
    const added = (await uiPost(app, ui, `/ui/projects/${key}/jira/behaviour`, behaviour({ action: 'add:createRules.when', minCount: '3' })).expect(200)).text;
    expect(inputValue(added, 'createRules.when[0].attribute')).toBe('');
    expect(valueById(added, 'minCount')).toBe('3');
    const when = {
      'createRules.when[0].attribute': 'environment',
      'createRules.when[0].op': '=',
      'createRules.when[0].value': 'production',
      'createRules.when[1].attribute': 'title',
      'createRules.when[1].op': 'contains',
      'createRules.when[1].value': 'OutOfMemory',
      'createRules.when[1].any': 'on',
    };
    await uiPost(app, ui, `/ui/projects/${key}/jira/behaviour`, behaviour({ ...when, thresholdCount: '5', thresholdWithinMinutes: '10', onRegression: 'on', action: 'save' }))
      .expect(303)
      .expect('Location', `/ui/projects/${key}/jira?tab=behaviour&saved=1`);
    expect((await settingsOf(key)).createRules).toEqual({
      onNewGroup: true,
      minCount: 1,
      maxTicketsPerHour: 100,
      when: [
        { attribute: 'environment', op: '=', value: 'production' },
        { attribute: 'title', op: 'contains', value: 'OutOfMemory', any: true },
      ],
      threshold: { count: 5, withinMinutes: 10 },
      onRegression: true,
    });
    const page = (await uiGet(app, ui, `/ui/projects/${key}/jira?tab=behaviour`).expect(200)).text;
    expect(inputValue(page, 'createRules.when[1].value')).toBe('OutOfMemory');
    expect(valueById(page, 'thresholdCount')).toBe('5');
    expect(valueById(page, 'thresholdWithinMinutes')).toBe('10');
    expect(isChecked(page, 'onRegression')).toBe(true);

    // Emptied: no threshold, no conditions.
    await uiPost(app, ui, `/ui/projects/${key}/jira/behaviour`, behaviour({ thresholdCount: '', thresholdWithinMinutes: '', action: 'save' })).expect(303);
    expect((await settingsOf(key)).createRules).toMatchObject({ when: [], threshold: null, onRegression: false });

    // A threshold that is not a positive integer is named next to its field; nothing changes.
    const bad = await uiPost(app, ui, `/ui/projects/${key}/jira/behaviour`, behaviour({ thresholdCount: '0', thresholdWithinMinutes: '10', minCount: '7' })).expect(400);
    expect(fieldError(bad.text, 'thresholdCount')[0]).toMatch(/count/);
    expect(bad.text).toMatch(/id="thresholdCount"[^>]*autofocus/);
    expect(valueById(bad.text, 'thresholdCount')).toBe('0');
    expect((await settingsOf(key)).createRules).toMatchObject({ minCount: 1, threshold: null });
  });

  it('saves value maps: add and remove maps and rows, * as the fallback', async () => {
    const key = await configuredProject();
    const one = (await postRoutes(key, { action: 'add:valueMaps' }).expect(200)).text;
    expect(inputValue(one, 'valueMaps[0].name')).toBe('');
    expect(inputValue(one, 'valueMaps[0].rows[0].key')).toBe('');
    const severity = { 'valueMaps[0].name': 'severity', 'valueMaps[0].rows[0].key': 'fatal', 'valueMaps[0].rows[0].value': 'Highest' };
    const rowAdded = (await postRoutes(key, { ...severity, action: 'add:valueMaps[0].rows' }).expect(200)).text;
    expect(inputValue(rowAdded, 'valueMaps[0].rows[0].value')).toBe('Highest');
    expect(autofocused(rowAdded)).toBe('valueMaps[0].rows[1].key');

    const maps = {
      ...severity,
      'valueMaps[0].rows[1].key': 'error',
      'valueMaps[0].rows[1].value': 'High',
      'valueMaps[0].rows[2].key': '*',
      'valueMaps[0].rows[2].value': 'Medium',
      'valueMaps[1].name': 'team',
      'valueMaps[1].rows[0].key': 'checkout',
      'valueMaps[1].rows[0].value': 'Payments',
    };
    await postRoutes(key, { ...maps, action: 'save' }).expect(303);
    expect((await settingsOf(key)).valueMaps).toEqual({ severity: { fatal: 'Highest', error: 'High', '*': 'Medium' }, team: { checkout: 'Payments' } });

    // Removing a row and a map.
    const fewer = (await postRoutes(key, { ...maps, action: 'remove:valueMaps[0].rows[1]' }).expect(200)).text;
    expect(inputValue(fewer, 'valueMaps[0].rows[1].key')).toBe('*');
    const { 'valueMaps[1].name': _n, 'valueMaps[1].rows[0].key': _k, 'valueMaps[1].rows[0].value': _v, ...onlySeverity } = maps;
    await postRoutes(key, { ...onlySeverity, action: 'save' }).expect(303);
    expect((await settingsOf(key)).valueMaps).toEqual({ severity: { fatal: 'Highest', error: 'High', '*': 'Medium' } });

    // A key given twice is named next to it, and nothing is saved.
    const dup = await postRoutes(key, { ...onlySeverity, 'valueMaps[0].rows[1].key': 'fatal', action: 'save' }).expect(400);
    expect(fieldError(dup.text, 'valueMaps[0].rows[1].key')[0]).toMatch(/already in this map/);
    expect((await settingsOf(key)).valueMaps.severity.error).toBe('High');
    // A name the API refuses, and a value too long: each next to its field.
    const badName = await postRoutes(key, { ...onlySeverity, 'valueMaps[0].name': 'sev erity', action: 'save' }).expect(400);
    expect(fieldError(badName.text, 'valueMaps[0].name')[0]).toMatch(/map name/);
    expect(fieldError(badName.text, 'valueMaps')).toEqual([]);
    const longValue = await postRoutes(key, { ...onlySeverity, 'valueMaps[0].rows[1].value': 'x'.repeat(300), action: 'save' }).expect(400);
    expect(fieldError(longValue.text, 'valueMaps[0].rows[1].value')[0]).toMatch(/valueMaps\.severity\.error must be at most 255/);
    expect((await settingsOf(key)).valueMaps).toEqual({ severity: { fatal: 'Highest', error: 'High', '*': 'Medium' } });
  });

  it('saves the versions settings from the Connection tab', async () => {
    const key = await configuredProject();
    expect(selected((await uiGet(app, ui, `/ui/projects/${key}/jira`).expect(200)).text, 'versionsAffects')).toBe('none');
    await uiPost(app, ui, `/ui/projects/${key}/jira/connection`, connection({ secret: '', versionsAffects: 'all', versionsCreateMissing: 'on' })).expect(303);
    expect((await settingsOf(key)).versions).toEqual({ affects: 'all', createMissing: true });
    const page = (await uiGet(app, ui, `/ui/projects/${key}/jira`).expect(200)).text;
    expect(selected(page, 'versionsAffects')).toBe('all');
    expect(isChecked(page, 'versionsCreateMissing')).toBe(true);
    await uiPost(app, ui, `/ui/projects/${key}/jira/connection`, connection({ secret: '', versionsAffects: 'top' })).expect(303);
    expect((await settingsOf(key)).versions).toEqual({ affects: 'top', createMissing: false });
    const bad = await uiPost(app, ui, `/ui/projects/${key}/jira/connection`, connection({ secret: '', versionsAffects: 'some' })).expect(400);
    expect(fieldError(bad.text, 'versionsAffects')[0]).toMatch(/affects/);
    expect((await settingsOf(key)).versions.affects).toBe('top');
  });

  it('shows a bad regex next to its row’s value field, keeps every typed value, and saves nothing', async () => {
    const key = await configuredProject();
    const good = route(0, { name: 'web', projectKey: 'CHK', when: [['platform', '=', 'Web']] });
    await postRoutes(key, { ...good, action: 'save' }).expect(303);
    const before = await settingsOf(key);

    const typed = {
      ...route(0, { name: 'web', projectKey: 'CHK', subject: 'Changed {{title}}', when: [['platform', '=', 'Web']] }),
      ...route(1, { name: 'crashy', projectKey: 'MOB', when: [['environment', '=', 'production'], ['title', 'matches', '(unclosed']] }),
      action: 'save',
    };
    const res = await postRoutes(key, typed).expect(400);
    expect(fieldError(res.text, 'routes[1].when[1].value')[0]).toMatch(/regular expression|regex|pattern/i);
    expect(fieldError(res.text, 'routes[1].when[1].value')[0]).toMatch(/routes\[1\]\.when\[1\]\.value|value/);
    expect(fieldError(res.text, 'routes[1].when[0].value')).toEqual([]);
    expect(inputValue(res.text, 'routes[1].when[1].value')).toBe('(unclosed');
    expect(inputValue(res.text, 'routes[0].subject')).toBe('Changed {{title}}');
    expect(routeNames(res.text)).toEqual(['web', 'crashy']);
    expect(res.text).toMatch(/Nothing was saved: correct the fields marked below/);
    expect(autofocused(res.text)).toBe('routes[1].when[1].value');
    expect(await settingsOf(key)).toEqual(before);

    // A route without a project key, and an unknown operator: each next to its field.
    const worse = await postRoutes(key, { ...typed, 'routes[1].projectKey': '', 'routes[1].when[1].op': 'like', 'routes[1].when[1].value': 'x' }).expect(400);
    expect(fieldError(worse.text, 'routes[1].projectKey')).toHaveLength(1);
    expect(fieldError(worse.text, 'routes[1].when[1].op')).toHaveLength(1);
    expect(await settingsOf(key)).toEqual(before);
  });

  it('previews the issue each route would get, from the Routes tab; without a route, the one the group’s conditions choose', async () => {
    const { key, ingestToken } = await createProject(app);
    await uiPost(app, ui, `/ui/projects/${key}/jira/connection`, connection()).expect(200);
    await postRoutes(key, {
      ...route(0, { name: 'mobile', projectKey: 'MOB', issueType: 'Task', subject: 'Mobile: {{title}}', labels: 'mobile', when: [['platform', '=', 'iOS']] }),
      action: 'save',
    }).expect(303);
    await app.http().post(`/api/v1/projects/${key}/groups`).set('Authorization', `Bearer ${ingestToken}`).send({ fingerprint: 'ios-1', title: 'Crash on iPhone', attributes: { platform: { iOS: 3 } } }).expect(201);
    const page = (await uiGet(app, ui, `/ui/projects/${key}/jira?tab=routes`).expect(200)).text;
    const options = /<select id="preview-route" name="route">(.*?)<\/select>/s.exec(page)![1];
    expect(options.match(/value="[^"]*"/g)).toEqual(['value=""', 'value="default"', 'value="mobile"']);

    // A route chosen: used whatever its conditions say (the sample group is on Linux), shown on the tab asked from.
    const viaRoute = await uiPost(app, ui, `/ui/projects/${key}/jira/preview`, { fingerprint: '', route: 'mobile', tab: 'routes' }).expect(200);
    expect(viaRoute.text).toMatch(/id="preview-subject">Mobile: TypeError/);
    expect(viaRoute.text).toMatch(/id="preview-project">MOB · Task \(\d+\)</);
    expect(viaRoute.text).toMatch(/id="preview-route-used">mobile</);
    expect(viaRoute.text).toMatch(/id="preview-labels">[^<]*mobile/);
    expect(viaRoute.text).toMatch(/id="routes-form"/);
    expect(selected(viaRoute.text, 'route')).toBe('mobile');

    // None chosen: the group's conditions decide, and the page says so.
    const byConditions = await uiPost(app, ui, `/ui/projects/${key}/jira/preview`, { fingerprint: 'ios-1', route: '', tab: 'routes' }).expect(200);
    expect(byConditions.text).toMatch(/id="preview-subject">Mobile: Crash on iPhone</);
    expect(byConditions.text).toMatch(/id="preview-route-used">mobile \(chosen by the group&#x27;s conditions\)</);
    expect(selected(byConditions.text, 'fingerprint')).toBe('ios-1');
    const sample = await uiPost(app, ui, `/ui/projects/${key}/jira/preview`, { fingerprint: '', route: '' }).expect(200);
    expect(sample.text).toMatch(/id="preview-subject">\[1\.4\.2\] TypeError/);
    expect(sample.text).toMatch(/id="preview-project">CHK · Bug( \(\d+\))?</);
    expect(sample.text).toMatch(/id="preview-route-used">default \(chosen/);
    expect(sample.text).toMatch(/id="connection-form"/);

    // The default route asked for by name, for a group whose conditions would pick mobile.
    const asDefault = await uiPost(app, ui, `/ui/projects/${key}/jira/preview`, { fingerprint: 'ios-1', route: 'default' }).expect(200);
    expect(asDefault.text).toMatch(/id="preview-project">CHK · Bug( \(\d+\))?</);
    expect(asDefault.text).toMatch(/id="preview-route-used">default</);

    const unknown = await uiPost(app, ui, `/ui/projects/${key}/jira/preview`, { fingerprint: '', route: 'nope', tab: 'routes' }).expect(400);
    expect(fieldError(unknown.text, 'preview')[0]).toMatch(/nope/);
  });

  it('answers 400 to a list button naming no list of the form, and saves nothing', async () => {
    const key = await configuredProject();
    const res = await postRoutes(key, { ...route(0, { name: 'a', projectKey: 'CHK' }), action: 'remove:routes[4]' }).expect(400);
    expect(res.text).toMatch(/no list item routes\[4\]/);
    expect(inputValue(res.text, 'routes[0].name')).toBe('a');
    expect((await settingsOf(key)).routes).toEqual([]);
  });
});
