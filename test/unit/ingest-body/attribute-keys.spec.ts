import { mergeHistograms, normalizeAttributes } from '@app/modules/ingest-body/attribute-histograms';

/** Values named like Object.prototype members are values like any other (they used to turn counts into strings). */
describe('attribute values named like Object.prototype members', () => {
  it('counts them in every shape', () => {
    const h = normalizeAttributes({ a: [['toString', 1], ['toString', 2], ['__proto__', 4], ['constructor', 1]], b: '__proto__', c: { valueOf: 2 } }, 3);
    expect(Object.getOwnPropertyNames(h.a)).toEqual(['toString', '__proto__', 'constructor']);
    expect(h.a.toString).toBe(3);
    expect(Object.getOwnPropertyDescriptor(h.a, '__proto__')?.value).toBe(4);
    expect(Object.getOwnPropertyDescriptor(h.b, '__proto__')?.value).toBe(3);
    expect(h.c.valueOf).toBe(2);
    expect(JSON.parse(JSON.stringify(h))).toEqual({ a: { toString: 3, ['__proto__']: 4, constructor: 1 }, b: { ['__proto__']: 3 }, c: { valueOf: 2 } });
  });

  it('adds them up when merging', () => {
    const stored = JSON.parse('{"a": {"toString": 1, "__proto__": 2}}');
    const merged = mergeHistograms(stored, normalizeAttributes({ a: [['toString', 1], ['__proto__', 1], ['hasOwnProperty', 5]] }, 1));
    expect(JSON.stringify(merged)).toBe('{"a":{"toString":2,"__proto__":3,"hasOwnProperty":5}}');
  });
});
