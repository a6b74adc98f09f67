import { VALUE_MAP_NAME } from '@app/modules/jira-settings/domain/limits';
import { ValueMaps } from '@app/modules/jira-settings/jira-settings';
import { FormProblem } from './form-errors';
import { FormBody, indexedItems, textOf } from './indexed-fields';

/** A value map as typed: its name and key → value rows (`*` is the fallback key). */
export interface ValueMapForm {
  name: string;
  rows: Array<{ key: string; value: string }>;
}

export const blankValueMapRow = () => ({ key: '', value: '' });
export const blankValueMap = (): ValueMapForm => ({ name: '', rows: [blankValueMapRow()] });

export function valueMapsFromSettings(maps: ValueMaps | undefined): ValueMapForm[] {
  return Object.entries(maps ?? {}).map(([name, rows]) => ({ name, rows: Object.entries(rows).map(([key, value]) => ({ key, value })) }));
}

export function readValueMaps(body: FormBody): ValueMapForm[] {
  return indexedItems(body, 'valueMaps').map((m) => ({
    name: textOf(m.name).trim(),
    rows: indexedItems(m, 'rows').map((r) => ({ key: textOf(r.key).trim(), value: textOf(r.value) })),
  }));
}

/** Blank rows dropped, then maps with neither a name nor a row. */
export function compactValueMaps(maps: readonly ValueMapForm[]): ValueMapForm[] {
  return maps
    .map((m) => ({ ...m, rows: m.rows.filter((r) => r.key !== '' || r.value.trim() !== '') }))
    .filter((m) => m.name !== '' || m.rows.length > 0);
}

/**
 * What the API cannot see once the rows are an object: a map without a name, or a map or key
 * given twice (the second would silently replace the first); and a name the API refuses, so
 * that its message shows next to that name. Paths are the form's fields.
 */
export function valueMapProblems(maps: readonly ValueMapForm[]): FormProblem[] {
  const problems: FormProblem[] = [];
  const names = new Map<string, number>();
  maps.forEach((m, i) => {
    if (m.name === '') problems.push({ path: `valueMaps[${i}].name`, message: 'a value map needs a name' });
    else if (!VALUE_MAP_NAME.test(m.name)) problems.push({ path: `valueMaps[${i}].name`, message: 'a map name is a letter or _, then up to 63 letters, digits, _, . or -' });
    else if (names.has(m.name)) problems.push({ path: `valueMaps[${i}].name`, message: `the name ${m.name} is already used by value map ${names.get(m.name)! + 1}` });
    else names.set(m.name, i);
    const keys = new Set<string>();
    m.rows.forEach((r, j) => {
      const path = `valueMaps[${i}].rows[${j}].key`;
      if (keys.has(r.key)) problems.push({ path, message: `the key ${r.key} is already in this map` });
      keys.add(r.key);
    });
  });
  return problems;
}

export function valueMapsToBody(maps: readonly ValueMapForm[]): Record<string, Record<string, string>> {
  return Object.fromEntries(maps.map((m) => [m.name, Object.fromEntries(m.rows.map((r) => [r.key, r.value]))]));
}
