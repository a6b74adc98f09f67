import { MAX_VALUE_MAP_ENTRIES, MAX_VALUE_MAP_KEY, MAX_VALUE_MAP_VALUE, MAX_VALUE_MAPS, VALUE_MAP_NAME } from './limits';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// PostgreSQL's jsonb stores neither U+0000 nor a lone UTF-16 surrogate, in keys as in values.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `valueMaps.severity.fatal`, or `valueMaps.severity["not a name"]` for a key a dot path cannot hold. */
const member = (path: string, key: string) => (/^[A-Za-z_][\w-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/** A key as a message shows it: quoted, and cut short when long. */
const shown = (key: string) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);

// Nest's ValidationPipe deletes these keys from every body (prototype pollution guard): refused, not lost.
const DROPPED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const dropped = (key: string) => `the key ${shown(key)} cannot be used (request bodies lose __proto__, constructor and prototype keys)`;

/** A map name or key the framework would silently drop, named; checked on the raw body, before the pipe drops them. */
export function droppedKeyProblem(maps: unknown): string | null {
  if (!isObject(maps)) return null;
  for (const name of Object.keys(maps)) {
    if (DROPPED_KEYS.has(name)) return `valueMaps: ${dropped(name)}`;
    const map = maps[name];
    const key = isObject(map) ? Object.keys(map).find((k) => DROPPED_KEYS.has(k)) : undefined;
    if (key !== undefined) return `${member('valueMaps', name)}: ${dropped(key)}`;
  }
  return null;
}

function mapProblem(name: string, map: unknown): string | null {
  const path = `valueMaps.${name}`;
  if (!isObject(map)) return `${path} must be an object of string → string entries (e.g. {"fatal": "Highest", "*": "Medium"})`;
  const entries = Object.entries(map);
  if (entries.length > MAX_VALUE_MAP_ENTRIES) return `${path} must have at most ${MAX_VALUE_MAP_ENTRIES} entries`;
  for (const [key, value] of entries) {
    if (key.length > MAX_VALUE_MAP_KEY) return `${path} has a key of ${key.length} characters (${shown(key)}); at most ${MAX_VALUE_MAP_KEY}`;
    if (UNSTORABLE.test(key)) return `${path} has a key that cannot be stored (${shown(key)}): no NUL character or lone UTF-16 surrogate`;
    const at = member(path, key);
    if (typeof value !== 'string') return `${at} must be a string`;
    if (value.length > MAX_VALUE_MAP_VALUE) return `${at} must be at most ${MAX_VALUE_MAP_VALUE} characters long`;
    if (UNSTORABLE.test(value)) return `${at} must contain no NUL character or lone UTF-16 surrogate`;
  }
  return null;
}

/**
 * Why `valueMaps` is not an object of named string → string maps, or null: the first problem, naming its
 * path (`valueMaps.severity.fatal must be a string`). Keys and values may be empty; `*` is the fallback key.
 */
export function valueMapsProblem(maps: unknown): string | null {
  if (!isObject(maps)) return 'valueMaps must be an object of maps (e.g. {"severity": {"fatal": "Highest"}})';
  const droppedKey = droppedKeyProblem(maps);
  if (droppedKey) return droppedKey;
  const names = Object.keys(maps);
  if (names.length > MAX_VALUE_MAPS) return `valueMaps must have at most ${MAX_VALUE_MAPS} maps`;
  for (const name of names) {
    if (!VALUE_MAP_NAME.test(name)) {
      return `valueMaps has a map named ${shown(name)}: a map name is a letter or _, then up to 63 letters, digits, _, . or -`;
    }
    const problem = mapProblem(name, maps[name]);
    if (problem) return problem;
  }
  return null;
}
