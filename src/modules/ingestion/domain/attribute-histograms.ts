import { compareNatural, sortedValues, topValue } from '../../../common/natural-compare';
import { AttributeHistograms } from '../../../database/entities';
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

/** Report attributes (already validated) as histograms; zero counts are dropped. */
export function normalizeAttributes(attrs: Record<string, unknown> | undefined, count: number): AttributeHistograms {
  const out: AttributeHistograms = {};
  for (const [name, v] of Object.entries(attrs ?? {})) {
    const h: Record<string, number> = {};
    const add = (value: Scalar, c: number) => {
      if (c > 0) h[String(value)] = (h[String(value)] ?? 0) + c;
    };
    if (isScalar(v)) add(v, count);
    else if (Array.isArray(v)) for (const [value, c] of v as Array<[Scalar, number]>) add(value, c);
    else for (const [value, c] of Object.entries(v as Record<string, number>)) add(value, c);
    if (Object.keys(h).length > 0) out[name] = foldValues(h);
  }
  return out;
}

/** Keeps the most counted values; the rest are summed into "(other)". */
export function foldValues(h: Record<string, number>): Record<string, number> {
  const keys = Object.keys(h);
  if (keys.length <= MAX_VALUES_PER_ATTRIBUTE) return h;
  let other = h[OTHER_VALUE] ?? 0;
  const ranked = sortedValues(h).filter((e) => e.value !== OTHER_VALUE);
  const kept: Record<string, number> = {};
  ranked.forEach((e, i) => {
    if (i < MAX_VALUES_PER_ATTRIBUTE - 1) kept[e.value] = e.count;
    else other += e.count;
  });
  kept[OTHER_VALUE] = other;
  return kept;
}

/**
 * Adds delta counts into the stored histograms. New attribute names beyond the
 * per-group limit are dropped (the stored ones keep counting).
 */
export function mergeHistograms(stored: AttributeHistograms, delta: AttributeHistograms): AttributeHistograms {
  const out: AttributeHistograms = { ...stored };
  let names = Object.keys(out).length;
  for (const [name, h] of Object.entries(delta)) {
    if (!out[name]) {
      if (names >= MAX_ATTRIBUTES) continue;
      names++;
      out[name] = { ...h };
      continue;
    }
    const merged = { ...out[name] };
    for (const [value, c] of Object.entries(h)) merged[value] = (merged[value] ?? 0) + c;
    out[name] = foldValues(merged);
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
