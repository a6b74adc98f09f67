import { describeAttributeProblem, foldValues, mergeHistograms, normalizeAttributes, topValues } from '@app/modules/ingest-body/attribute-histograms';
import { MAX_VALUES_PER_ATTRIBUTE } from '@app/modules/ingest-body/limits';

describe('attribute histograms', () => {
  it('normalizes the three accepted shapes', () => {
    expect(normalizeAttributes({ a: { x: 2, y: 0 }, b: [['p', 1], ['p', 2]], c: 'only', d: 7, e: true }, 3)).toEqual({
      a: { x: 2 }, b: { p: 3 }, c: { only: 3 }, d: { '7': 3 }, e: { true: 3 },
    });
  });

  it('names the path of a bad attribute', () => {
    expect(describeAttributeProblem({ version: { '1.0': -2 } })).toContain('attributes.version.1.0');
    expect(describeAttributeProblem({ version: [['1.0', 'x']] })).toContain('attributes.version');
    expect(describeAttributeProblem({ version: null })).toContain('attributes.version');
    expect(describeAttributeProblem([])).toContain('attributes');
    expect(describeAttributeProblem({ ok: { a: 1 } })).toBeNull();
  });

  it('merges deltas and folds the least counted values into (other)', () => {
    expect(mergeHistograms({ v: { a: 1 } }, { v: { a: 2, b: 1 }, w: { z: 1 } })).toEqual({ v: { a: 3, b: 1 }, w: { z: 1 } });
    const h: Record<string, number> = { '(other)': 10 };
    for (let i = 0; i < 1_200; i++) h[`v${i}`] = i;
    const folded = foldValues(h);
    expect(Object.keys(folded)).toHaveLength(MAX_VALUES_PER_ATTRIBUTE);
    expect(folded.v1199).toBe(1199);
    expect(folded.v200).toBeUndefined();
    const total = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(total(folded)).toBe(total(h));
  });

  it('picks top values with the natural-order tie rule', () => {
    expect(topValues({ v: { '1.9.0': 3, '1.10.0': 3 }, p: { Linux: 1, Windows: 2 } })).toEqual({ v: '1.10.0', p: 'Windows' });
  });
});
