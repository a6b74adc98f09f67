import { FieldMeta, coerceFieldValue, toJiraDateTime } from '@app/modules/templates';

function field(type: string, extra: Partial<FieldMeta> & { items?: string; custom?: string; system?: string } = {}): FieldMeta {
  const { items, custom, system, ...rest } = extra;
  return { id: 'customfield_1', name: 'Field', schema: { type, items, custom, system }, ...rest };
}

const platform = field('option', {
  name: 'Platform',
  allowedValues: [{ id: '1', value: 'Linux' }, { id: '2', value: 'Windows' }, { id: '3', value: 'macOS' }],
});

describe('coerceFieldValue', () => {
  it('string and text → string (trimmed)', () => {
    expect(coerceFieldValue('  hello\nworld ', field('string'), 'cloud')).toEqual({ ok: true, value: 'hello\nworld' });
    expect(coerceFieldValue('x', field('any'), 'cloud')).toEqual({ ok: true, value: 'x' });
  });

  it('an empty value omits the field', () => {
    expect(coerceFieldValue('  ', field('string'), 'cloud')).toEqual({ ok: true, value: undefined });
    expect(coerceFieldValue(' , ,', field('array', { items: 'option' }), 'cloud')).toEqual({ ok: true, value: undefined });
    expect(coerceFieldValue('', platform, 'cloud')).toEqual({ ok: true, value: undefined });
  });

  it('number → number, and rejects non-numbers', () => {
    const points = field('number', { name: 'Story points' });
    expect(coerceFieldValue(' 12 ', points, 'cloud')).toEqual({ ok: true, value: 12 });
    expect(coerceFieldValue('-3.5', points, 'cloud')).toEqual({ ok: true, value: -3.5 });
    expect(coerceFieldValue('1e3', points, 'cloud')).toEqual({ ok: true, value: 1000 });
    expect(coerceFieldValue('12 apples', points, 'cloud')).toEqual({
      ok: false,
      error: "value '12 apples' is not a number for field 'Story points'",
    });
    expect(coerceFieldValue('0x10', points, 'cloud').ok).toBe(false);
    expect(coerceFieldValue('Infinity', points, 'cloud').ok).toBe(false);
  });

  it('option → {value}, matching allowed values case-insensitively to their spelling', () => {
    expect(coerceFieldValue('Linux', platform, 'cloud')).toEqual({ ok: true, value: { value: 'Linux' } });
    expect(coerceFieldValue('MACOS', platform, 'cloud')).toEqual({ ok: true, value: { value: 'macOS' } });
  });

  it('option not among the allowed values → error naming field and choices', () => {
    expect(coerceFieldValue('Solaris', platform, 'cloud')).toEqual({
      ok: false,
      error: "value 'Solaris' is not allowed for field 'Platform' (allowed: Linux, Windows, macOS)",
    });
  });

  it('option without known allowed values passes through', () => {
    expect(coerceFieldValue('Anything', field('option'), 'cloud')).toEqual({ ok: true, value: { value: 'Anything' } });
  });

  it('array of option → [{value}], deduplicated after canonicalisation', () => {
    const multi = { ...platform, schema: { type: 'array', items: 'option' } };
    expect(coerceFieldValue('linux, Windows, LINUX', multi, 'cloud')).toEqual({
      ok: true,
      value: [{ value: 'Linux' }, { value: 'Windows' }],
    });
    expect(coerceFieldValue('Linux, BeOS', multi, 'cloud')).toMatchObject({ ok: false, error: expect.stringContaining("'BeOS'") });
  });

  it('array of string → string[] (spaces kept)', () => {
    expect(coerceFieldValue('Mac OS, nightly, nightly', field('array', { items: 'string' }), 'cloud')).toEqual({
      ok: true,
      value: ['Mac OS', 'nightly'],
    });
  });

  it('labels (system or custom labels field) → string[] with spaces as _', () => {
    const labels = field('array', { items: 'string', system: 'labels' });
    expect(coerceFieldValue('crashbridge, Red Hat', labels, 'cloud')).toEqual({ ok: true, value: ['crashbridge', 'Red_Hat'] });
    const custom = field('array', { items: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:labels' });
    expect(coerceFieldValue('a b', custom, 'datacenter')).toEqual({ ok: true, value: ['a_b'] });
  });

  it('user → {accountId} on Cloud, {name} on Data Center', () => {
    const user = field('user');
    expect(coerceFieldValue('5b10ac8d82e05b22cc7d4ef5', user, 'cloud')).toEqual({
      ok: true,
      value: { accountId: '5b10ac8d82e05b22cc7d4ef5' },
    });
    expect(coerceFieldValue('alice', user, 'datacenter')).toEqual({ ok: true, value: { name: 'alice' } });
    expect(coerceFieldValue('a, b', field('array', { items: 'user' }), 'datacenter')).toEqual({
      ok: true,
      value: [{ name: 'a' }, { name: 'b' }],
    });
  });

  it('version → {name}, versions → [{name}]', () => {
    expect(coerceFieldValue('2.4.0', field('version'), 'cloud')).toEqual({ ok: true, value: { name: '2.4.0' } });
    const fixVersions = field('array', {
      items: 'version',
      name: 'Fix versions',
      allowedValues: [{ id: '10', name: '2.4.0' }, { id: '11', name: '2.5.0' }],
    });
    expect(coerceFieldValue('2.4.0, 2.5.0', fixVersions, 'cloud')).toEqual({
      ok: true,
      value: [{ name: '2.4.0' }, { name: '2.5.0' }],
    });
    expect(coerceFieldValue('9.9.9', fixVersions, 'cloud')).toEqual({
      ok: false,
      error: "value '9.9.9' is not allowed for field 'Fix versions' (allowed: 2.4.0, 2.5.0)",
    });
  });

  it('priority → {name}, canonical spelling when allowed values are known', () => {
    expect(coerceFieldValue('High', field('priority'), 'cloud')).toEqual({ ok: true, value: { name: 'High' } });
    const priority = field('priority', { allowedValues: [{ id: '1', name: 'Highest' }, { id: '2', name: 'High' }] });
    expect(coerceFieldValue('high', priority, 'cloud')).toEqual({ ok: true, value: { name: 'High' } });
  });

  it('date → YYYY-MM-DD from an ISO date or date-time; garbage is an error', () => {
    const due = field('date', { name: 'Due date' });
    expect(coerceFieldValue('2026-11-24', due, 'cloud')).toEqual({ ok: true, value: '2026-11-24' });
    expect(coerceFieldValue('2026-11-24T23:30:00-05:00', due, 'cloud')).toEqual({ ok: true, value: '2026-11-24' });
    expect(coerceFieldValue('next tuesday', due, 'cloud')).toEqual({
      ok: false,
      error: "value 'next tuesday' is not a date for field 'Due date' (expected YYYY-MM-DD)",
    });
    expect(coerceFieldValue('2026-02-30', due, 'cloud').ok).toBe(false);
    expect(coerceFieldValue('2026-13-01', due, 'cloud').ok).toBe(false);
  });

  it("datetime → ISO 8601 in Jira's format, in UTC", () => {
    const dt = field('datetime', { name: 'Seen at' });
    expect(coerceFieldValue('2026-11-24T09:00:00Z', dt, 'cloud')).toEqual({ ok: true, value: '2026-11-24T09:00:00.000+0000' });
    expect(coerceFieldValue('2026-11-24T10:30:15.5+01:30', dt, 'cloud')).toEqual({
      ok: true,
      value: '2026-11-24T09:00:15.500+0000',
    });
    expect(coerceFieldValue('2026-11-24', dt, 'datacenter')).toEqual({ ok: true, value: '2026-11-24T00:00:00.000+0000' });
    expect(coerceFieldValue('2026-11-24 09:00', dt, 'cloud')).toEqual({ ok: true, value: '2026-11-24T09:00:00.000+0000' });
    expect(coerceFieldValue('yesterday', dt, 'cloud')).toMatchObject({ ok: false, error: expect.stringContaining("'Seen at'") });
    expect(toJiraDateTime('2026-11-24T24:00:00Z')).toBeUndefined();
  });

  it('an unsupported field type is an error naming the field', () => {
    expect(coerceFieldValue('x', field('sd-customerrequesttype', { name: 'Request type' }), 'cloud')).toEqual({
      ok: false,
      error: "field 'Request type' has type 'sd-customerrequesttype', which cannot be filled from a template",
    });
  });
});
