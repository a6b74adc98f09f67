import { compareNatural, sortedValues, topValue } from '@app/common/natural-compare';
import { AttributeHistograms } from '@app/database/entities';
import { MAX_ATTRIBUTE_NAME, MAX_ATTRIBUTE_VALUE, MAX_ATTRIBUTES, MAX_COUNT, MAX_VALUES_PER_ATTRIBUTE, OTHER_VALUE } from './limits';

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_COUNT;

function valueProblem(path: string, value: Scalar): string | null {
  const text = String(value);
  if (text.length > MAX_ATTRIBUTE_VALUE) return `${path} values must be at most ${MAX_ATTRIBUTE_VALUE} characters`;
  return null;
}

/**
 * Why an `attributes` object is unacceptable, naming the offending path, or null.
 * Accepted per attribute: a histogram `{value: count}`, Backtrace's `[[value, count]]`,
 * or a plain scalar (counted `count` times).
 */
export function describeAttributeProblem(attrs: unknown): string | null {
  if (attrs === undefined) return null;
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) return 'attributes must be an object of attribute name to values';
  const entries = Object.entries(attrs);
  if (entries.length > MAX_ATTRIBUTES) return `attributes must have at most ${MAX_ATTRIBUTES} attributes`;
  for (const [name, v] of entries) {
    const path = `attributes.${name}`;
    if (name.length === 0 || name.length > MAX_ATTRIBUTE_NAME) return `attributes names must be 1 to ${MAX_ATTRIBUTE_NAME} characters`;
    if (isScalar(v)) {
      const p = valueProblem(path, v);
      if (p) return p;
    } else if (Array.isArray(v)) {
      for (const pair of v) {
        if (!Array.isArray(pair) || pair.length !== 2 || !isScalar(pair[0]) || !isCount(pair[1])) {
          return `${path} must be a list of [value, count] pairs with a non-negative integer count`;
        }
        const p = valueProblem(path, pair[0]);
        if (p) return p;
      }
    } else if (typeof v === 'object' && v !== null) {
      for (const [value, count] of Object.entries(v)) {
        if (!isCount(count)) return `${path}.${value} must be a non-negative integer count`;
        const p = valueProblem(path, value);
        if (p) return p;
      }
    } else {
      return `${path} must be a value, a {value: count} histogram or a [[value, count]] list`;
    }
  }
  return null;
}

const has = Object.prototype.hasOwnProperty;

/**
 * Report attributes (already validated) as histograms; zero counts are dropped.
 * A list may name a value twice (counted in a Map, so a value named like an
 * Object.prototype member, "toString" or "__proto__", counts like any other).
 * `folded` collects the attributes whose values passed the cap.
 */
export function normalizeAttributes(attrs: Record<string, unknown> | undefined, count: number, folded?: Set<string>): AttributeHistograms {
  const out: AttributeHistograms = {};
  if (!attrs) return out;
  for (const name of Object.keys(attrs)) {
    const v = attrs[name];
    let h: Record<string, number> | undefined;
    if (isScalar(v)) {
      // A computed key defines an own property, even "__proto__".
      if (count > 0) h = { [String(v)]: count };
    } else if (Array.isArray(v)) {
      const m = new Map<string, number>();
      for (const [value, c] of v as Array<[Scalar, number]>) {
        if (c > 0) m.set(String(value), (m.get(String(value)) ?? 0) + c);
      }
      if (m.size > 0) h = Object.fromEntries(m);
    } else {
      // An object's keys are distinct already.
      const entries = Object.entries(v as Record<string, number>).filter(([, c]) => c > 0);
      if (entries.length > 0) h = Object.fromEntries(entries);
    }
    if (h) out[name] = foldInto(name, h, folded);
  }
  return out;
}

/** Keeps the most counted values; the rest are summed into "(other)". */
export function foldValues(h: Record<string, number>): Record<string, number> {
  const keys = Object.keys(h);
  if (keys.length <= MAX_VALUES_PER_ATTRIBUTE) return h;
  let other = has.call(h, OTHER_VALUE) ? h[OTHER_VALUE] : 0;
  const ranked = sortedValues(h).filter((e) => e.value !== OTHER_VALUE);
  const kept: Array<[string, number]> = [];
  ranked.forEach((e, i) => {
    if (i < MAX_VALUES_PER_ATTRIBUTE - 1) kept.push([e.value, e.count]);
    else other += e.count;
  });
  kept.push([OTHER_VALUE, other]);
  return Object.fromEntries(kept);
}

function foldInto(name: string, h: Record<string, number>, folded?: Set<string>): Record<string, number> {
  if (Object.keys(h).length <= MAX_VALUES_PER_ATTRIBUTE) return h;
  folded?.add(name);
  return foldValues(h);
}

/**
 * Adds delta counts into the stored histograms. New attribute names beyond the
 * per-group limit are dropped (the stored ones keep counting). `folded` collects
 * the attributes whose values passed the cap.
 */
export function mergeHistograms(stored: AttributeHistograms, delta: AttributeHistograms, folded?: Set<string>): AttributeHistograms {
  const out: AttributeHistograms = { ...stored };
  let names = Object.keys(out).length;
  for (const [name, h] of Object.entries(delta)) {
    if (!has.call(out, name)) {
      if (names >= MAX_ATTRIBUTES) continue;
      names++;
      out[name] = { ...h };
      continue;
    }
    const merged = new Map(Object.entries(out[name]));
    for (const [value, c] of Object.entries(h)) merged.set(value, (merged.get(value) ?? 0) + c);
    out[name] = foldInto(name, Object.fromEntries(merged), folded);
  }
  return out;
}

export function topValues(h: AttributeHistograms): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(h).sort(compareNatural)) {
    const top = topValue(h[name]);
    if (top !== undefined) out[name] = top;
  }
  return out;
}
