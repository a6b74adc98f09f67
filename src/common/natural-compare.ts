/**
 * Numeric-aware comparison: digit runs compare as numbers, so "1.10.0" > "1.9.0"
 * and "build 20" > "build 9"; text compares case-insensitively first. Used for the
 * top-value tie rule and for sorting.
 */
const CHUNK = /(\d+|\D+)/g;

export function compareNatural(a: string, b: string): number {
  const ca = a.match(CHUNK) ?? [];
  const cb = b.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i];
    const y = cb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = compareDigits(x, y);
      if (d !== 0) return d;
    } else {
      // Case-insensitive first, so "alpha" < "Beta"; case decides only a full tie (below).
      const lx = x.toLowerCase();
      const ly = y.toLowerCase();
      if (lx !== ly) return lx < ly ? -1 : 1;
    }
  }
  return Math.sign(ca.length - cb.length) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Compares digit strings of any length without overflowing Number. */
function compareDigits(x: string, y: string): number {
  const a = x.replace(/^0+(?=\d)/, '');
  const b = y.replace(/^0+(?=\d)/, '');
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : Math.sign(x.length - y.length);
}

/** The value with the highest count; a tie goes to the greater value in natural order. */
export function topValue(histogram: Record<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = -Infinity;
  for (const [value, count] of Object.entries(histogram)) {
    if (count > bestCount || (count === bestCount && best !== undefined && compareNatural(value, best) > 0)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** Values by count descending, ties by natural order descending (top value first). */
export interface ValueCount {
  value: string;
  count: number;
}

export function sortedValues(histogram: Record<string, number>): ValueCount[] {
  return Object.entries(histogram)
    .map(([value, count]) => ({ value, count }))
    .sort((p, q) => q.count - p.count || compareNatural(q.value, p.value));
}
