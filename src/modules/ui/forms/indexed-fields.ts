/**
 * Form fields named like the API's error paths (`routes[0].when[1].op`), read back into
 * lists. The body is parsed flat (urlencoded, not extended), so each such name is one key.
 */

export type FormBody = Record<string, unknown>;

/** A submitted value as text: a repeated field keeps its last value, anything else is empty. */
export const textOf = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? textOf(v[v.length - 1]) : '');
export const isChecked = (v: unknown): boolean => textOf(v) !== '';

const INDEXED = /^\[(\d{1,6})\](?:\.(.+))?$/;

/**
 * The items of list `name` in `body`, in the order of their indices (gaps closed up): each
 * item is the sub-body of its fields with the `name[i].` prefix taken off, so nested lists read
 * the same way (`indexedItems(route, 'when')`).
 */
export function indexedItems(body: FormBody, name: string): FormBody[] {
  const items = new Map<number, FormBody>();
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith(name)) continue;
    const m = INDEXED.exec(key.slice(name.length));
    if (!m) continue;
    const index = Number(m[1]);
    const item = items.get(index) ?? {};
    if (m[2] !== undefined) item[m[2]] = value;
    items.set(index, item);
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

/**
 * Lists typed in one input (`in`, `not in`): comma-separated, a comma inside a value written `\,`
 * (and a backslash `\\`), so any list the API stored survives a round trip through the form.
 */
export function splitList(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === ',' || text[i + 1] === '\\')) current += text[++i];
    else if (c === ',') {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  return out.filter((v) => v !== '');
}

export const joinList = (values: readonly string[]): string => values.map((v) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,')).join(', ');
