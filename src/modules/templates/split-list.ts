/**
 * Rendered text → list, for labels and array-typed fields (Backtrace: "for
 * array-type fields, separate values with commas"): split on commas, trim,
 * drop empties, drop duplicates keeping the first occurrence.
 */
export function splitList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item && !seen.has(item)) {
      seen.add(item);
      out.push(item);
    }
  }
  return out;
}

/** Jira rejects spaces in labels: whitespace runs inside a label become `_`. */
export function toLabel(item: string): string {
  return item.trim().replace(/\s+/g, '_');
}

/** splitList for labels: `a b, c` → `["a_b", "c"]`, deduplicated after the `_` rewrite. */
export function splitLabels(text: string): string[] {
  return splitList(splitList(text).map(toLabel).join(','));
}
