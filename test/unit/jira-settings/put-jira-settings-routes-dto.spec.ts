import { BadRequestException } from '@nestjs/common';
import { appValidationPipe } from '@app/common/validation/app-validation-pipe';
import { toStoredSettings } from '@app/modules/jira-settings/domain/to-stored-settings';
import { droppedKeyProblem, valueMapsProblem } from '@app/modules/jira-settings/domain/value-maps-problem';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { SETTINGS_DEFAULTS } from '@app/modules/jira-settings/jira-settings';

// Routes, creation conditions, value maps and versions in the settings PUT, through the app's global pipe.
const pipe = appValidationPipe();

const body = (overrides: Record<string, unknown> = {}) => ({
  apiUrl: 'https://jira.example.com',
  auth: { type: 'basic', email: 'bot@example.com', apiToken: 'token-123' },
  projectKey: 'CHK',
  subject: '{{title}}',
  ...overrides,
});
const route = (overrides: Record<string, unknown> = {}) => ({ name: 'mobile', when: [{ attribute: 'platform', op: '=', value: 'ios' }], projectKey: 'MOB', ...overrides });
const row = (overrides: Record<string, unknown> = {}) => ({ attribute: 'environment', op: '=', value: 'production', ...overrides });
/** A body whose second route has `when` = [row]. */
const inRoute = (r: Record<string, unknown>) => body({ routes: [route(), route({ name: 'web', when: [r] })] });
const inRules = (r: Record<string, unknown>) => body({ createRules: { when: [r] } });

const validate = (value: unknown): Promise<PutJiraSettingsDto> => pipe.transform(value, { type: 'body', metatype: PutJiraSettingsDto });

async function messages(value: unknown): Promise<string[]> {
  try {
    await validate(value);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    return ((err as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('expected a validation error');
}

const isPlain = (o: unknown) => Object.getPrototypeOf(o) === Object.prototype;

describe('PutJiraSettingsDto: routes, creation conditions, value maps, versions', () => {
  it('stores a full body as plain objects, numbers in conditions as text, route project keys upper-case', async () => {
    const dto = await validate(
      body({
        routes: [
          {
            name: ' Mobile ',
            when: [{ attribute: 'platform', op: 'in', value: ['ios', 'android'], any: true }, { attribute: 'build', op: '>=', value: 1200 }],
            projectKey: 'mob',
            issueType: 'Task',
            subject: '[mobile] {{title}}',
            labels: '',
            description: 'h2. {{title}}',
            customFields: [{ field: 'Platform', value: '$platform' }],
          },
          { name: 'backend', when: [{ attribute: 'classifier', op: 'matches', value: '^Null' }, { attribute: 'service', op: 'exists' }], projectKey: 'BE' },
          { name: 'everything else', projectKey: 'ALL' },
        ],
        createRules: {
          minCount: 2,
          when: [{ attribute: 'environment', op: 'not in', value: ['dev', 3] }],
          threshold: { count: 10, withinMinutes: 60 },
          onRegression: true,
        },
        valueMaps: { severity: { fatal: 'Highest', error: 'High', '*': 'Medium' }, 'team.owner': {} },
        versions: { affects: 'all', createMissing: true },
      }),
    );
    const stored = toStoredSettings(dto);
    expect(stored.routes).toEqual([
      {
        name: 'Mobile',
        when: [{ attribute: 'platform', op: 'in', value: ['ios', 'android'], any: true }, { attribute: 'build', op: '>=', value: '1200' }],
        projectKey: 'MOB',
        issueType: 'Task',
        subject: '[mobile] {{title}}',
        labels: '',
        description: 'h2. {{title}}',
        customFields: [{ field: 'Platform', value: '$platform' }],
      },
      { name: 'backend', when: [{ attribute: 'classifier', op: 'matches', value: '^Null' }, { attribute: 'service', op: 'exists' }], projectKey: 'BE' },
      { name: 'everything else', when: [], projectKey: 'ALL' },
    ]);
    expect(stored.createRules).toEqual({
      onNewGroup: true,
      minCount: 2,
      maxTicketsPerHour: 100,
      when: [{ attribute: 'environment', op: 'not in', value: ['dev', '3'] }],
      threshold: { count: 10, withinMinutes: 60 },
      onRegression: true,
    });
    expect(stored.valueMaps).toEqual({ severity: { fatal: 'Highest', error: 'High', '*': 'Medium' }, 'team.owner': {} });
    expect(stored.versions).toEqual({ affects: 'all', createMissing: true });
    const objects: unknown[] = [stored.createRules, stored.createRules.threshold, ...stored.createRules.when, stored.valueMaps, stored.valueMaps.severity, stored.versions];
    for (const r of stored.routes) objects.push(r, ...r.when, ...(r.customFields ?? []));
    expect(objects.every(isPlain)).toBe(true);
  });

  it('reads an old body (none of the new members) with their defaults', async () => {
    const stored = toStoredSettings(await validate(body({ createRules: { minCount: 3 } })));
    expect(stored).toMatchObject({
      createRules: { ...SETTINGS_DEFAULTS.createRules, minCount: 3 },
      routes: [],
      valueMaps: {},
      versions: { affects: 'none', createMissing: false },
    });
  });

  it('takes a null threshold as none, and a partial versions object over the defaults', async () => {
    const stored = toStoredSettings(await validate(body({ createRules: { threshold: null }, versions: { createMissing: true } })));
    expect(stored.createRules.threshold).toBeNull();
    expect(stored.versions).toEqual({ affects: 'none', createMissing: true });
  });

  it('keeps value map keys named like other Object.prototype members', async () => {
    const stored = toStoredSettings(await validate(body({ valueMaps: { severity: { toString: 'x', hasOwnProperty: 'y' } } })));
    expect(stored.valueMaps).toEqual({ severity: { toString: 'x', hasOwnProperty: 'y' } });
    expect(isPlain(stored.valueMaps.severity)).toBe(true);
  });

  it('refuses the keys request bodies lose, on the raw body as in the DTO', () => {
    const raw = (json: string) => JSON.parse(json) as unknown;
    expect(droppedKeyProblem(raw('{"severity": {"fatal": "x", "__proto__": "y"}}'))).toBe(
      'valueMaps.severity: the key "__proto__" cannot be used (request bodies lose __proto__, constructor and prototype keys)',
    );
    expect(droppedKeyProblem(raw('{"constructor": {}}'))).toContain('valueMaps: the key "constructor" cannot be used');
    expect(droppedKeyProblem(raw('{"a b": {"prototype": "x"}}'))).toContain('valueMaps["a b"]: the key "prototype"');
    expect(droppedKeyProblem(raw('{"severity": {"fatal": "x"}}'))).toBeNull();
    expect(valueMapsProblem(raw('{"severity": {"constructor": "x"}}'))).toContain('valueMaps.severity: the key "constructor" cannot be used');
  });

  it.each<[string, Record<string, unknown>]>([
    ['=', row()],
    ['!= with a number', row({ op: '!=', value: 3 })],
    ['= with an empty string', row({ value: '' })],
    ['contains', row({ op: 'contains', value: 'prod' })],
    ['matches', row({ op: 'matches', value: '^prod(uction)?$' })],
    ['>= on a version', row({ attribute: 'version', op: '>=', value: '1.10.0' })],
    ['<', row({ op: '<', value: 5 })],
    ['in', row({ op: 'in', value: ['a', 1, ''] })],
    ['not in with 100 values', row({ op: 'not in', value: Array.from({ length: 100 }, (_, i) => `v${i}`) })],
    ['exists', { attribute: 'environment', op: 'exists' }],
    ['a pseudo-attribute with any', { attribute: 'classifier', op: 'contains', value: 'Error', any: true }],
    ['any false', row({ any: false })],
  ])('accepts a condition row: %s', async (_, r) => {
    await expect(validate(inRoute(r))).resolves.toBeDefined();
    await expect(validate(inRules(r))).resolves.toBeDefined();
  });

  it.each<[string, Record<string, unknown>]>([
    ['routes[1].when[0].op must be one of "=", "!=", "in", "not in", "contains", "matches", ">=", "<", "exists"', row({ op: 'like' })],
    ['routes[1].when[0].op must be one of', row({ op: undefined })],
    ['routes[1].when[0].op must be one of', row({ op: 'IN', value: ['a'] })],
    ['routes[1].when[0].attribute is required', row({ attribute: undefined })],
    ['routes[1].when[0].attribute must not be empty', row({ attribute: ' ' })],
    ['routes[1].when[0].attribute must be at most 100 characters long', row({ attribute: 'a'.repeat(101) })],
    ['routes[1].when[0].attribute must be a string', row({ attribute: 7 })],
    ['routes[1].when[0].value is required for op "="', row({ value: undefined })],
    ['routes[1].when[0].value is required for op "="', row({ value: null })],
    ['routes[1].when[0].value must be a string for op "="', row({ value: ['a'] })],
    ['routes[1].when[0].value must be a string for op "="', row({ value: true })],
    ['routes[1].when[0].value must be at most 1000 characters long', row({ value: 'x'.repeat(1001) })],
    ['routes[1].when[0].value must not contain the NUL character', row({ value: 'a\u0000' })],
    ['routes[1].when[0].value must be a list of strings for op "in"', row({ op: 'in', value: 'a' })],
    ['routes[1].when[0].value must not be an empty list for op "not in"', row({ op: 'not in', value: [] })],
    ['routes[1].when[0].value is required for op "in"', row({ op: 'in', value: undefined })],
    ['routes[1].when[0].value must have at most 100 values', row({ op: 'in', value: Array.from({ length: 101 }, (_, i) => `v${i}`) })],
    ['routes[1].when[0].value[1] must be a string', row({ op: 'in', value: ['a', { b: 1 }] })],
    ['routes[1].when[0].value[1] must be at most 1000 characters long', row({ op: 'in', value: ['a', 'x'.repeat(1001)] })],
    ['routes[1].when[0].value must be left out for op "exists"', row({ op: 'exists', value: 'x' })],
    ['routes[1].when[0].value must be left out for op "exists"', row({ op: 'exists', value: null })],
    ['routes[1].when[0].value is not a usable regular expression', row({ op: 'matches', value: '(unclosed' })],
    ['routes[1].when[0].value is not a usable regular expression', row({ op: 'matches', value: '(a)\\1' })],
    ['routes[1].when[0].value must be at most 200 characters', row({ op: 'matches', value: 'a'.repeat(201) })],
    ['routes[1].when[0].any must be a boolean value', row({ any: 'yes' })],
    ['routes[1].when[0].any must be a boolean value', row({ any: null })],
    ['property routes[1].when[0].negate should not exist', row({ negate: true })],
  ])('refuses a condition row: %s', async (expected, r) => {
    expect((await messages(inRoute(r))).join(' | ')).toContain(expected);
    const inCreateRules = expected.replace('routes[1].when[0]', 'createRules.when[0]');
    expect((await messages(inRules(r))).join(' | ')).toContain(inCreateRules);
  });

  it.each<[string, Record<string, unknown>]>([
    ['routes must be an array', { routes: { name: 'a' } }],
    ['routes[1] must be an object', { routes: [route(), 'web'] }],
    ['routes must have at most 50 entries', { routes: Array.from({ length: 51 }, (_, i) => route({ name: `r${i}` })) }],
    ['routes[1].name is required', { routes: [route(), route({ name: undefined })] }],
    ['routes[0].name must not be empty', { routes: [route({ name: '  ' })] }],
    ['routes[0].name must be at most 100 characters long', { routes: [route({ name: 'n'.repeat(101) })] }],
    ['routes[0].name must not be "default"', { routes: [route({ name: 'Default' })] }],
    ['routes[1].name: the name is already used by routes[0]', { routes: [route({ name: 'Mobile' }), route({ name: ' mobile ' })] }],
    ['routes[1].projectKey is required', { routes: [route(), route({ name: 'web', projectKey: undefined })] }],
    ['routes[0].projectKey must be a Jira project key', { routes: [route({ projectKey: 'MO-B' })] }],
    ['routes[0].issueType must not be empty', { routes: [route({ issueType: '' })] }],
    ['routes[0].issueType must be a string', { routes: [route({ issueType: null })] }],
    ['routes[0].subject must not be empty', { routes: [route({ subject: '' })] }],
    ['routes[0].subject:1:', { routes: [route({ subject: '{{#if title}}' })] }],
    ['routes[0].labels:1:', { routes: [route({ labels: '{{/each}}' })] }],
    ['routes[0].description must be at most 100000 characters long', { routes: [route({ description: 'x'.repeat(100_001) })] }],
    ['routes[0].customFields[0].field: Project is set by projectKey', { routes: [route({ customFields: [{ field: 'Project', value: 'X' }] })] }],
    ['routes[0].customFields[1].field: the field is already set by routes[0].customFields[0]', { routes: [route({ customFields: [{ field: 'A', value: 'x' }, { field: 'a', value: 'y' }] })] }],
    ['routes[0].customFields[0].value must be a string', { routes: [route({ customFields: [{ field: 'A', value: 7 }] })] }],
    ['routes[0].when must be an array', { routes: [route({ when: 'always' })] }],
    ['routes[0].when must have at most 20 entries', { routes: [route({ when: Array.from({ length: 21 }, () => row()) })] }],
    ['property routes[0].color should not exist', { routes: [route({ color: 'red' })] }],
    ['createRules.when must have at most 20 entries', { createRules: { when: Array.from({ length: 21 }, () => row()) } }],
    ['createRules.when[1] must be an object', { createRules: { when: [row(), 'x'] } }],
    ['createRules.threshold must be an object', { createRules: { threshold: 5 } }],
    ['createRules.threshold.count must be an integer from 1 to 1000000', { createRules: { threshold: { count: 0, withinMinutes: 5 } } }],
    ['createRules.threshold.count must be an integer from 1 to 1000000', { createRules: { threshold: { count: 1.5, withinMinutes: 5 } } }],
    ['createRules.threshold.count must be an integer from 1 to 1000000', { createRules: { threshold: { count: '5', withinMinutes: 5 } } }],
    ['createRules.threshold.count must be an integer from 1 to 1000000', { createRules: { threshold: { count: 1_000_001, withinMinutes: 5 } } }],
    ['createRules.threshold.withinMinutes must be an integer from 1 to 10080', { createRules: { threshold: { count: 5 } } }],
    ['createRules.threshold.withinMinutes must be an integer from 1 to 10080', { createRules: { threshold: { count: 5, withinMinutes: 10_081 } } }],
    ['createRules.threshold.withinMinutes must be an integer from 1 to 10080', { createRules: { threshold: { count: 5, withinMinutes: -1 } } }],
    ['property createRules.threshold.per should not exist', { createRules: { threshold: { count: 5, withinMinutes: 5, per: 'group' } } }],
    ['createRules.onRegression must be a boolean value', { createRules: { onRegression: 'yes' } }],
    ['valueMaps must be an object of maps', { valueMaps: [] }],
    ['valueMaps must be an object of maps', { valueMaps: null }],
    ['valueMaps must be an object of maps', { valueMaps: 'severity' }],
    ['valueMaps.severity must be an object of string → string entries', { valueMaps: { severity: ['Highest'] } }],
    ['valueMaps.severity must be an object of string → string entries', { valueMaps: { severity: 3 } }],
    ['valueMaps.severity must be an object of string → string entries', { valueMaps: { severity: null } }],
    ['valueMaps.severity.fatal must be a string', { valueMaps: { severity: { fatal: { level: 'Highest' } } } }],
    ['valueMaps.severity.fatal must be a string', { valueMaps: { severity: { fatal: null } } }],
    ['valueMaps.severity.fatal must be a string', { valueMaps: { severity: { fatal: 1 } } }],
    ['valueMaps.severity["very bad"] must be a string', { valueMaps: { severity: { 'very bad': 1 } } }],
    ['valueMaps.severity.fatal must be at most 255 characters long', { valueMaps: { severity: { fatal: 'x'.repeat(256) } } }],
    ['valueMaps.severity has a key of 256 characters', { valueMaps: { severity: { ['k'.repeat(256)]: 'x' } } }],
    ['valueMaps.severity has a key that cannot be stored', { valueMaps: { severity: { 'a\u0000': 'x' } } }],
    ['valueMaps.severity must have at most 500 entries', { valueMaps: { severity: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`k${i}`, 'v'])) } }],
    ['valueMaps must have at most 50 maps', { valueMaps: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`m${i}`, {}])) }],
    ['valueMaps has a map named "1st"', { valueMaps: { '1st': {} } }],
    ['valueMaps has a map named "my map"', { valueMaps: { 'my map': {} } }],
    ['valueMaps has a map named', { valueMaps: { ['m'.repeat(65)]: {} } }],
    ['versions must be an object', { versions: 'top' }],
    ['versions.affects must be one of "top", "all", "none"', { versions: { affects: 'some' } }],
    ['versions.affects must be one of', { versions: { affects: null } }],
    ['versions.createMissing must be a boolean value', { versions: { createMissing: 'no' } }],
    ['property versions.create should not exist', { versions: { create: true } }],
  ])('refuses: %s', async (expected, overrides) => {
    expect((await messages(body(overrides))).join(' | ')).toContain(expected);
  });

  it('gives one message per problem, wherever it is', async () => {
    expect(await messages(body({ routes: [route({ when: [row({ op: 'like' })] }), route({ name: 'web', projectKey: undefined })] }))).toEqual([
      'routes[0].when[0].op must be one of "=", "!=", "in", "not in", "contains", "matches", ">=", "<", "exists"',
      'routes[1].projectKey is required',
    ]);
  });
});
