import { Condition, ConditionSubject, conditionHolds, conditionsHold } from '@app/modules/conditions';

const options = { versionAttribute: 'version' };

const group = (overrides: Partial<ConditionSubject> = {}): ConditionSubject => ({
  title: 'NullPointerException in Checkout.pay',
  fingerprint: 'abc123',
  classifiers: ['NullPointerException', 'RuntimeException'],
  attributes: {
    environment: { production: 5, staging: 2 },
    platform: { ios: 3 },
    version: { '1.10.0': 4, '1.9.2': 1 },
    build: { '120': 2, '95': 1 },
    locale: { 'en-GB': 1 },
  },
  ...overrides,
});

const holds = (c: Condition, subject = group()) => conditionHolds(c, subject, options);

describe('conditions', () => {
  it.each<[Condition, boolean]>([
    // = and != : exact, on the top value
    [{ attribute: 'environment', op: '=', value: 'production' }, true],
    [{ attribute: 'environment', op: '=', value: 'Production' }, false],
    [{ attribute: 'environment', op: '=', value: 'staging' }, false],
    [{ attribute: 'environment', op: '!=', value: 'staging' }, true],
    [{ attribute: 'environment', op: '!=', value: 'production' }, false],
    // in and not in
    [{ attribute: 'platform', op: 'in', value: ['android', 'ios'] }, true],
    [{ attribute: 'platform', op: 'in', value: ['android'] }, false],
    [{ attribute: 'platform', op: 'not in', value: ['android', 'web'] }, true],
    [{ attribute: 'platform', op: 'not in', value: ['ios'] }, false],
    // contains: case-insensitive
    [{ attribute: 'environment', op: 'contains', value: 'PROD' }, true],
    [{ attribute: 'environment', op: 'contains', value: 'stag' }, false],
    // matches: searched anywhere, anchors when written
    [{ attribute: 'locale', op: 'matches', value: '^en-(GB|US)$' }, true],
    [{ attribute: 'locale', op: 'matches', value: 'GB' }, true],
    [{ attribute: 'locale', op: 'matches', value: '^GB' }, false],
    // exists
    [{ attribute: 'platform', op: 'exists' }, true],
    [{ attribute: 'device', op: 'exists' }, false],
  ])('%j on the top value → %s', (c, expected) => {
    expect(holds(c)).toBe(expected);
  });

  it('looks at every value seen with any', () => {
    expect(holds({ attribute: 'environment', op: '=', value: 'staging', any: true })).toBe(true);
    expect(holds({ attribute: 'environment', op: 'in', value: ['qa', 'staging'], any: true })).toBe(true);
    expect(holds({ attribute: 'environment', op: 'contains', value: 'STAG', any: true })).toBe(true);
    expect(holds({ attribute: 'environment', op: 'matches', value: '^stag', any: true })).toBe(true);
    // Negative rows with any: no value seen may satisfy the positive form.
    expect(holds({ attribute: 'environment', op: '!=', value: 'staging', any: true })).toBe(false);
    expect(holds({ attribute: 'environment', op: 'not in', value: ['staging'], any: true })).toBe(false);
    expect(holds({ attribute: 'environment', op: '!=', value: 'qa', any: true })).toBe(true);
    expect(holds({ attribute: 'version', op: '<', value: '1.10.0', any: true })).toBe(true);
    expect(holds({ attribute: 'version', op: '<', value: '1.10.0' })).toBe(false);
  });

  it('reads the pseudo-attributes title, fingerprint and classifier (the first one is the top value)', () => {
    expect(holds({ attribute: 'title', op: 'contains', value: 'checkout' })).toBe(true);
    expect(holds({ attribute: 'title', op: 'matches', value: '^NullPointer' })).toBe(true);
    expect(holds({ attribute: 'fingerprint', op: '=', value: 'abc123' })).toBe(true);
    expect(holds({ attribute: 'fingerprint', op: 'in', value: ['x', 'y'] })).toBe(false);
    expect(holds({ attribute: 'classifier', op: '=', value: 'NullPointerException' })).toBe(true);
    expect(holds({ attribute: 'classifier', op: '=', value: 'RuntimeException' })).toBe(false);
    expect(holds({ attribute: 'classifier', op: '=', value: 'RuntimeException', any: true })).toBe(true);
    expect(holds({ attribute: 'classifier', op: 'exists' }, group({ classifiers: [] }))).toBe(false);
    expect(holds({ attribute: 'classifier', op: '!=', value: 'X' }, group({ classifiers: [] }))).toBe(true);
  });

  it('compares the version attribute as versions with >= and <', () => {
    // Natural text order would agree here; 1.10.0 vs 1.9.2 is where plain string order does not.
    expect(holds({ attribute: 'version', op: '>=', value: '1.9.2' })).toBe(true);
    expect(holds({ attribute: 'version', op: '>=', value: '1.10.0' })).toBe(true);
    expect(holds({ attribute: 'version', op: '>=', value: '1.10.1' })).toBe(false);
    expect(holds({ attribute: 'version', op: '<', value: '2.0.0' })).toBe(true);
    expect(holds({ attribute: 'version', op: '<', value: '1.10.0-rc.1' })).toBe(false);
    expect(holds({ attribute: 'version', op: '>=', value: '1.10.0-rc.1' })).toBe(true);
    expect(holds({ attribute: 'version', op: '>=', value: 'v1.2' })).toBe(true);
    // A value without a version cannot be ordered: neither holds.
    expect(holds({ attribute: 'version', op: '>=', value: 'latest' })).toBe(false);
    expect(holds({ attribute: 'version', op: '<', value: 'latest' })).toBe(false);
    // Another attribute is the version attribute when configured so.
    const subject = group({ attributes: { release: { '2.10': 1 } } });
    expect(conditionHolds({ attribute: 'release', op: '>=', value: '2.9' }, subject, { versionAttribute: 'release' })).toBe(true);
  });

  it('compares numbers as numbers, other text in natural order', () => {
    expect(holds({ attribute: 'build', op: '>=', value: '100' })).toBe(true);
    expect(holds({ attribute: 'build', op: '<', value: '99' })).toBe(false);
    expect(holds({ attribute: 'build', op: '>=', value: '120.5' })).toBe(false);
    expect(holds({ attribute: 'build', op: '<', value: '-1' }, group({ attributes: { build: { '-5': 1 } } }))).toBe(true);
    expect(holds({ attribute: 'locale', op: '<', value: 'fr' })).toBe(true);
    expect(holds({ attribute: 'locale', op: '>=', value: 'EN-GB' })).toBe(true);
  });

  it('treats a missing attribute as no value: positive rows fail, negative rows hold', () => {
    const missing = (op: Condition['op'], value?: string | string[]) => holds({ attribute: 'device', op, ...(value === undefined ? {} : { value }) });
    expect(missing('=', 'x')).toBe(false);
    expect(missing('in', ['x'])).toBe(false);
    expect(missing('contains', 'x')).toBe(false);
    expect(missing('matches', '.*')).toBe(false);
    expect(missing('>=', '0')).toBe(false);
    expect(missing('<', '9')).toBe(false);
    expect(missing('exists')).toBe(false);
    expect(missing('!=', 'x')).toBe(true);
    expect(missing('not in', ['x'])).toBe(true);
    expect(holds({ attribute: 'device', op: '=', value: 'x' }, group({ attributes: { device: {} } }))).toBe(false);
  });

  it('holds when all rows hold; no rows always hold', () => {
    const rows: Condition[] = [
      { attribute: 'environment', op: '=', value: 'production' },
      { attribute: 'version', op: '>=', value: '1.10' },
    ];
    expect(conditionsHold(rows, group(), options)).toBe(true);
    expect(conditionsHold([...rows, { attribute: 'platform', op: '=', value: 'android' }], group(), options)).toBe(false);
    expect(conditionsHold([], group(), options)).toBe(true);
  });

  it('runs a pattern in time linear in the value: a catastrophic pattern on a long value answers promptly', () => {
    const value = `${'a'.repeat(100_000)}b`;
    const subject = group({ title: value, attributes: { message: { [value]: 1 } } });
    expect(holds({ attribute: 'message', op: 'matches', value: '(a+)+$' }, subject)).toBe(false);
    expect(holds({ attribute: 'title', op: 'matches', value: '^(a|aa)+c' }, subject)).toBe(false);
    // The whole value is searched: the last character decides.
    expect(holds({ attribute: 'title', op: 'matches', value: '(a+)+b$' }, subject)).toBe(true);
  });
});
