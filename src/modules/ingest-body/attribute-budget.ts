// The byte budget of a group's histograms. Every report rewrites the whole column, so its size
// is what a report costs: the upsert merges in SQL only while stored + reported stay within the
// budget, and the merge in code trims the result here.
import { AttributeHistograms, MAX_ATTRIBUTES_BYTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/database/entities';
import { foldValues } from './attribute-histograms';
import { OTHER_VALUE } from './limits';

/**
 * Where trimming stops once the budget is passed: a quarter of it stays free, so the next
 * reports fit again and merge in SQL instead of each one trimming a few bytes in code.
 */
export const FOLD_TARGET_BYTES = (MAX_ATTRIBUTES_BYTES * 3) / 4;

/** ": " after a member name and ", " between members, as PostgreSQL prints jsonb. */
const COLON = 2;
const SEPARATOR = 2;
/** An "(other)" member added to an attribute, its count at the most digits a count reaches. */
const OTHER_MEMBER = Buffer.byteLength(JSON.stringify(OTHER_VALUE)) + COLON + 16 + SEPARATOR;

const has = Object.prototype.hasOwnProperty;
/** A string's bytes in JSON text: JSON.stringify escapes exactly what PostgreSQL's jsonb output does. */
const stringBytes = (s: string) => Buffer.byteLength(JSON.stringify(s));
const objectBytes = (members: number, memberBytes: number) => 2 + memberBytes + Math.max(0, members - 1) * SEPARATOR;

function histogramBytes(h: Record<string, number>): number {
  let bytes = 0;
  let n = 0;
  for (const value of Object.keys(h)) {
    bytes += stringBytes(value) + COLON + String(h[value]).length;
    n++;
  }
  return objectBytes(n, bytes);
}

/** The bytes of `attributes::text` for these histograms. */
export function histogramsBytes(h: AttributeHistograms): number {
  let bytes = 0;
  let n = 0;
  for (const name of Object.keys(h)) {
    bytes += stringBytes(name) + COLON + histogramBytes(h[name]);
    n++;
  }
  return objectBytes(n, bytes);
}

/**
 * Histograms within the limits: every attribute folded to the value cap (a group stored under
 * an earlier, larger cap included) and, past the byte budget, the rarest values of the whole
 * group folded into their attribute's "(other)" until a quarter of the budget is free. Counts
 * add up as before. `folded` collects the attributes that lost values.
 */
export function trimAttributes(h: AttributeHistograms, folded?: Set<string>): AttributeHistograms {
  let out = h;
  for (const name of Object.keys(h)) {
    if (Object.keys(h[name]).length <= MAX_VALUES_PER_ATTRIBUTE) continue;
    if (out === h) out = { ...h };
    out[name] = foldValues(h[name]);
    folded?.add(name);
  }
  let size = histogramsBytes(out);
  if (size <= MAX_ATTRIBUTES_BYTES) return out;
  while (size > FOLD_TARGET_BYTES) {
    const next = foldRarest(out, size - FOLD_TARGET_BYTES, folded);
    // Only "(other)" members left: nothing more to fold (the limits keep that within the budget).
    if (next === out) break;
    out = next;
    size = histogramsBytes(out);
  }
  return out;
}

interface Candidate {
  name: string;
  value: string;
  count: number;
  bytes: number;
}

/** Folds the least counted values (the longest first among equals) until about `excess` bytes are freed. */
function foldRarest(h: AttributeHistograms, excess: number, folded?: Set<string>): AttributeHistograms {
  const candidates: Candidate[] = [];
  for (const name of Object.keys(h)) {
    const values = h[name];
    for (const value of Object.keys(values)) {
      if (value === OTHER_VALUE) continue;
      const count = values[value];
      candidates.push({ name, value, count, bytes: stringBytes(value) + COLON + String(count).length + SEPARATOR });
    }
  }
  candidates.sort((a, b) => a.count - b.count || b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : 1));
  const drop = new Map<string, Set<string>>();
  let freed = 0;
  for (const c of candidates) {
    if (freed >= excess) break;
    let values = drop.get(c.name);
    if (!values) {
      drop.set(c.name, (values = new Set()));
      if (!has.call(h[c.name], OTHER_VALUE)) freed -= OTHER_MEMBER;
    }
    values.add(c.value);
    freed += c.bytes;
  }
  if (drop.size === 0) return h;
  const out: AttributeHistograms = { ...h };
  for (const [name, values] of drop) {
    let other = 0;
    const kept: Array<[string, number]> = [];
    for (const [value, count] of Object.entries(h[name])) {
      if (value === OTHER_VALUE || values.has(value)) other += count;
      else kept.push([value, count]);
    }
    kept.push([OTHER_VALUE, other]);
    out[name] = Object.fromEntries(kept);
    folded?.add(name);
  }
  return out;
}
