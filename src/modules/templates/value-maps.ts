/**
 * Value maps: named lookup tables the settings define (`valueMaps`), used in templates as
 * `{{map "severity" $severity}}`. A key is compared exactly (case and spaces count): the
 * map is the user's own table, and a near match picked silently would be a surprise. `*`
 * is the fallback for every key the map does not list.
 */

export const MAP_HELPER = 'map';
export const FALLBACK_KEY = '*';

/** Map name → key → value. Structural, so the settings' own type fits. */
export type ValueMaps = Readonly<Record<string, Readonly<Record<string, string>>>>;

export type MapLookup = { ok: true; value: string } | { ok: false; warning: string };

const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** The value for `key` in map `name`, else the map's `*`, else a warning saying what is missing. */
export function lookupValueMap(maps: ValueMaps | undefined, name: string, key: string): MapLookup {
  const map = maps && own(maps, name) ? maps[name] : undefined;
  if (!map || typeof map !== 'object') return { ok: false, warning: `unknown value map "${name}"` };
  if (own(map, key) && typeof map[key] === 'string') return { ok: true, value: map[key] };
  if (own(map, FALLBACK_KEY) && typeof map[FALLBACK_KEY] === 'string') return { ok: true, value: map[FALLBACK_KEY] };
  return { ok: false, warning: `no value for "${key}" in value map "${name}"` };
}
