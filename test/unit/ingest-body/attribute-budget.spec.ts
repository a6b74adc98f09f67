import { AttributeHistograms, MAX_ATTRIBUTES, MAX_ATTRIBUTES_BYTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/database/entities';
import { FOLD_TARGET_BYTES, histogramsBytes, trimAttributes } from '@app/modules/ingest-body/attribute-budget';
import { mergeHistograms, normalizeAttributes } from '@app/modules/ingest-body/attribute-histograms';
import { MAX_ATTRIBUTE_NAME, MAX_ATTRIBUTE_VALUE, OTHER_VALUE } from '@app/modules/ingest-body/limits';

const sum = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);
/** PostgreSQL's jsonb text form: ", " between members and ": " after names. */
const pgText = (h: unknown) => JSON.stringify(h).replace(/"(?:[^"\\]|\\.)*"|[:,]/g, (t) => (t === ':' ? ': ' : t === ',' ? ', ' : t));

/** `names` attributes of `values` values each, `width` characters long; value i counted i + 1 times. */
function wide(names: number, values: number, width: number): AttributeHistograms {
  const out: AttributeHistograms = {};
  for (let n = 0; n < names; n++) {
    const h: Record<string, number> = {};
    for (let i = 0; i < values; i++) h[`${n}-${i}-`.padEnd(width, 'x')] = i + 1;
    out[`attr-${n}`] = h;
  }
  return out;
}

describe('attribute budget', () => {
  it('caps an attribute at 100 values and a group at 256 KiB', () => {
    expect(MAX_VALUES_PER_ATTRIBUTE).toBe(100);
    expect(MAX_ATTRIBUTES_BYTES).toBe(256 * 1024);
    expect(FOLD_TARGET_BYTES).toBeLessThan(MAX_ATTRIBUTES_BYTES);
  });

  it('measures histograms as PostgreSQL prints them (UTF-8 bytes, escapes, separators)', () => {
    const samples: AttributeHistograms[] = [
      {},
      { a: {} },
      { version: { '1.0': 3, '1.10': 12 }, os: { Linux: 1 } },
      { 'é😀': { 'quote " back \\ nl \n ctl \u0001 tab \t': 1_000_000_000 }, x: { '': 0 } },
    ];
    for (const h of samples) expect(histogramsBytes(h)).toBe(Buffer.byteLength(pgText(h)));
  });

  it('leaves histograms within the budget alone', () => {
    const h = wide(10, 50, 100);
    expect(histogramsBytes(h)).toBeLessThan(MAX_ATTRIBUTES_BYTES);
    const folded = new Set<string>();
    expect(trimAttributes(h, folded)).toEqual(h);
    expect(folded.size).toBe(0);
  });

  it('folds the rarest values past the budget into (other), keeping every count', () => {
    const h = wide(40, 100, 200);
    expect(histogramsBytes(h)).toBeGreaterThan(MAX_ATTRIBUTES_BYTES);
    const folded = new Set<string>();
    const out = trimAttributes(h, folded);
    expect(histogramsBytes(out)).toBeLessThanOrEqual(FOLD_TARGET_BYTES);
    expect(Object.keys(out)).toEqual(Object.keys(h));
    for (const name of Object.keys(h)) {
      expect(sum(out[name])).toBe(sum(h[name]));
      expect(out[name][`${name.slice(5)}-99-`.padEnd(200, 'x')]).toBe(100); // the most counted value stays
      expect(out[name][`${name.slice(5)}-0-`.padEnd(200, 'x')]).toBeUndefined(); // the rarest goes
      expect(out[name][OTHER_VALUE]).toBeGreaterThan(0);
    }
    expect([...folded].sort()).toEqual(Object.keys(h).sort());
  });

  it('folds the rarest values of the whole group first, whatever their attribute', () => {
    const h = wide(30, 100, 200);
    h['attr-0'] = Object.fromEntries(Object.keys(h['attr-0']).map((v) => [v, 1_000])); // common everywhere
    const folded = new Set<string>();
    const out = trimAttributes(h, folded);
    expect(out['attr-0']).toEqual(h['attr-0']);
    expect(folded.has('attr-0')).toBe(false);
  });

  it('fits the worst case: every attribute name at its longest, values long and all counted alike', () => {
    const h: AttributeHistograms = {};
    for (let n = 0; n < MAX_ATTRIBUTES; n++) {
      const values: Record<string, number> = {};
      // Ten values are enough to pass the budget; what must fit are the names and their "(other)".
      for (let i = 0; i < 10; i++) values[`${i}`.padEnd(MAX_ATTRIBUTE_VALUE, '\u0001')] = 1_000_000_000;
      h[`${n}`.padEnd(MAX_ATTRIBUTE_NAME, '\u0001')] = values;
    }
    const out = trimAttributes(h);
    expect(histogramsBytes(out)).toBeLessThanOrEqual(FOLD_TARGET_BYTES);
    for (const name of Object.keys(h)) expect(sum(out[name])).toBe(sum(h[name]));
  });

  it('folds a stored attribute above the value cap (kept from an earlier, larger cap)', () => {
    const legacy = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`v${i}`, i + 1]));
    const folded = new Set<string>();
    const out = trimAttributes({ user: legacy, os: { Linux: 2 } }, folded);
    expect(Object.keys(out.user)).toHaveLength(MAX_VALUES_PER_ATTRIBUTE);
    expect(sum(out.user)).toBe(sum(legacy));
    expect(out.os).toEqual({ Linux: 2 });
    expect([...folded]).toEqual(['user']);
  });

  it('says which attributes a merge or a report folded', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_VALUES_PER_ATTRIBUTE + 5 }, (_, i) => [`u${i}`, 1]));
    const folded = new Set<string>();
    const report = normalizeAttributes({ user: many, os: 'Linux' }, 1, folded);
    expect(Object.keys(report.user)).toHaveLength(MAX_VALUES_PER_ATTRIBUTE);
    expect([...folded]).toEqual(['user']);
    const merged = new Set<string>();
    mergeHistograms({ os: { Linux: 1 }, build: Object.fromEntries(Array.from({ length: MAX_VALUES_PER_ATTRIBUTE }, (_, i) => [`b${i}`, 1])) }, { os: { Mac: 1 }, build: { new: 1 } }, merged);
    expect([...merged]).toEqual(['build']);
  });
});
