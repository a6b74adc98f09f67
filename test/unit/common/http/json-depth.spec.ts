import { MAX_JSON_DEPTH } from '@app/common/http/body-limits';
import { jsonTextTooDeep, jsonValueTooDeep } from '@app/common/http/json-depth';

const text = (s: string) => Buffer.from(s, 'utf8');
const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe('jsonTextTooDeep', () => {
  it('allows exactly the limit and refuses one level more, for arrays, objects and both mixed', () => {
    expect(jsonTextTooDeep(text(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonTextTooDeep(text(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    const objects = (d: number) => '{"a":'.repeat(d - 1) + '{}' + '}'.repeat(d - 1);
    expect(jsonTextTooDeep(text(objects(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonTextTooDeep(text(objects(MAX_JSON_DEPTH + 1)))).toBe(true);
    const mixed = (d: number) => '[{"a":'.repeat(d / 2) + 'null' + '}]'.repeat(d / 2);
    expect(jsonTextTooDeep(text(mixed(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonTextTooDeep(text(mixed(MAX_JSON_DEPTH + 2)))).toBe(true);
  });

  it('counts depth, not brackets: many shallow arrays side by side pass (the byte pass decides)', () => {
    const wide = `[${Array.from({ length: 5 * MAX_JSON_DEPTH }, () => '[1]').join(',')}]`;
    expect(jsonTextTooDeep(text(wide))).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const inString = JSON.stringify({ s: '['.repeat(3 * MAX_JSON_DEPTH), t: '\\"{{{' + '{'.repeat(2 * MAX_JSON_DEPTH) });
    expect(jsonTextTooDeep(text(inString))).toBe(false);
    const deepAfterString = `["${'['.repeat(MAX_JSON_DEPTH)}\\"", ${nested(MAX_JSON_DEPTH)}]`;
    expect(jsonTextTooDeep(text(deepAfterString))).toBe(true);
  });

  it('agrees with the depth of the parsed value on random JSON texts', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // One child goes on down, its siblings stay shallow.
    const build = (depth: number): unknown => {
      if (depth === 0 || random() < 0.02) return random() < 0.5 ? 'x[{' : 1;
      const children = [build(depth - 1), ...Array.from({ length: Math.floor(random() * 3) }, () => build(Math.min(depth - 1, 2)))];
      if (random() < 0.5) children.reverse();
      return random() < 0.5 ? children : Object.fromEntries(children.map((c, i) => [`k${i}`, c]));
    };
    const outcomes = new Set<boolean>();
    for (let i = 0; i < 300; i++) {
      const value = build(MAX_JSON_DEPTH - 8 + Math.floor(random() * 16));
      const deep = jsonValueTooDeep(value);
      outcomes.add(deep);
      expect(jsonTextTooDeep(text(JSON.stringify(value)))).toBe(deep);
    }
    expect([...outcomes].sort()).toEqual([false, true]);
  });
});
