import { LRUCache } from 'lru-cache';
import { compareNatural, topValue } from '@app/common/natural-compare';
import { compareVersions } from '@app/common/versions';
import { BoundedRegex, compileBounded } from './bounded-regex';
import { Condition, ConditionOptions, ConditionSubject, NEGATIVE_OPS } from './condition';

const compiled = new LRUCache<string, BoundedRegex>({ max: 1000 });
function regex(pattern: string): BoundedRegex {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = compileBounded(pattern)));
  return re;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The values a row looks at: the top value (the first classifier, whose order the tracker gives), or with
 * `any` every value seen. Empty when the group has no such attribute.
 */
function valuesOf(subject: ConditionSubject, c: Condition): string[] {
  switch (c.attribute) {
    case 'title':
      return [subject.title];
    case 'fingerprint':
      return [subject.fingerprint];
    case 'classifier':
      return c.any ? subject.classifiers : subject.classifiers.slice(0, 1);
  }
  const histogram = subject.attributes[c.attribute];
  if (!histogram) return [];
  if (c.any) return Object.keys(histogram);
  const top = topValue(histogram);
  return top === undefined ? [] : [top];
}

/** -1, 0 or 1; null when the two cannot be ordered (a version attribute value without a version). */
function order(a: string, b: string, attribute: string, options: ConditionOptions): number | null {
  if (attribute === options.versionAttribute) return compareVersions(a, b);
  if (NUMBER.test(a) && NUMBER.test(b)) return Math.sign(Number(a) - Number(b));
  return Math.sign(compareNatural(a, b));
}

/** Does one value satisfy the row's positive form (`=` for `!=`, `in` for `not in`)? */
function satisfies(value: string, c: Condition, options: ConditionOptions): boolean {
  const operand = c.value;
  switch (c.op) {
    case '=':
    case '!=':
      return value === operand;
    case 'in':
    case 'not in':
      return Array.isArray(operand) && operand.includes(value);
    case 'contains':
      return typeof operand === 'string' && value.toLowerCase().includes(operand.toLowerCase());
    case 'matches':
      return typeof operand === 'string' && regex(operand).test(value);
    case '>=':
    case '<': {
      if (typeof operand !== 'string') return false;
      const o = order(value, operand, c.attribute, options);
      return o !== null && (c.op === '>=' ? o >= 0 : o < 0);
    }
    case 'exists':
      return true;
  }
}

/**
 * Does one row hold? A positive row holds when some value looked at satisfies it; `!=` and `not in` hold when
 * none does, so they also hold for a group that never reported the attribute. `exists` holds when the group
 * has the attribute at all.
 */
export function conditionHolds(c: Condition, subject: ConditionSubject, options: ConditionOptions): boolean {
  const values = valuesOf(subject, c);
  if (NEGATIVE_OPS.includes(c.op)) return !values.some((v) => satisfies(v, c, options));
  return values.some((v) => satisfies(v, c, options));
}

/** Do all rows hold? No rows: yes. */
export function conditionsHold(conditions: readonly Condition[], subject: ConditionSubject, options: ConditionOptions): boolean {
  return conditions.every((c) => conditionHolds(c, subject, options));
}
