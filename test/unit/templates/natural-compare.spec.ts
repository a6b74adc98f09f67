import fc from 'fast-check';
import { compareNatural, sortedValues, topValue } from '@app/modules/templates';

describe('compareNatural', () => {
  it('orders digit runs by numeric value', () => {
    expect(compareNatural('1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compareNatural('1.9.0', '1.10.0')).toBeLessThan(0);
    expect(compareNatural('build 20', 'build 9')).toBeGreaterThan(0);
    expect(compareNatural('v2', 'v10')).toBeLessThan(0);
  });

  it('handles numbers beyond 2^53 and leading zeros', () => {
    expect(compareNatural('build 90071992547409931', 'build 90071992547409930')).toBeGreaterThan(0);
    expect(compareNatural('007', '7')).not.toBe(0); // distinct strings never compare equal
    expect(compareNatural('007', '8')).toBeLessThan(0);
  });

  it('compares text case-insensitively first, and only equal strings are equal', () => {
    expect(compareNatural('alpha', 'Beta')).toBeLessThan(0);
    expect(compareNatural('abc', 'ABC')).not.toBe(0);
    expect(compareNatural('same', 'same')).toBe(0);
  });

  it('is a consistent total order (antisymmetric, transitive)', () => {
    const value = fc.stringMatching(/^[a-c0-9. -]{0,8}$/);
    fc.assert(
      fc.property(value, value, value, (a, b, c) => {
        expect(Math.sign(compareNatural(a, b)) + 0).toBe(0 - Math.sign(compareNatural(b, a)));
        if (compareNatural(a, b) <= 0 && compareNatural(b, c) <= 0) expect(compareNatural(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('topValue', () => {
  it('is the value with the highest count', () => {
    expect(topValue({ '2.4.0': 10, '2.5.0': 2 })).toBe('2.4.0');
  });

  it('breaks ties with the greater value in natural order', () => {
    expect(topValue({ '1.9.0': 5, '1.10.0': 5 })).toBe('1.10.0');
    expect(topValue({ '1.10.0': 5, '1.9.0': 5 })).toBe('1.10.0');
    expect(topValue({ 'build 9': 3, 'build 20': 3, 'build 100': 1 })).toBe('build 20');
  });

  it('is undefined for an empty histogram', () => {
    expect(topValue({})).toBeUndefined();
  });
});

describe('sortedValues', () => {
  it('sorts by count descending, then natural descending', () => {
    expect(sortedValues({ '1.9.0': 5, '2.0.0': 1, '1.10.0': 5 })).toEqual([
      { value: '1.10.0', count: 5 },
      { value: '1.9.0', count: 5 },
      { value: '2.0.0', count: 1 },
    ]);
  });

  it('agrees with topValue', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 4 }), { minKeys: 1 }), (h) => {
        expect(sortedValues(h)[0].value).toBe(topValue(h));
      }),
    );
  });
});
