import { compareNatural, sortedValues, ValueCount } from './natural-compare';

/** The error group as the template engine needs it (a stored group maps onto this). */
export interface TemplateGroup {
  fingerprint: string;
  title: string;
  callstack: string[];
  classifiers: string[];
  count: number;
  firstSeen: string;
  lastSeen: string;
  link: string | null;
  state: string;
  /** attribute name → value → count */
  attributes: Record<string, Record<string, number>>;
  project: { key: string; name: string };
}

export interface TemplateAttribute {
  /** Value with the highest count (ties: greater in natural order); null when there are no values. */
  top: string | null;
  /** Count of `top` (0 when none), for "top value" tables. */
  topCount: number;
  /** Every value, by count descending, ties by natural order descending. */
  values: ValueCount[];
}

/** What `{{...}}` can reach in a template. */
export interface TemplateContext {
  title: string;
  fingerprint: string;
  callstack: string[];
  classifiers: string[];
  count: number;
  firstSeen: string;
  lastSeen: string;
  link: string | null;
  state: string;
  project: { key: string; name: string };
  /** By attribute name, names in natural order so `{{#each attributes}}` is stable. */
  attributes: Record<string, TemplateAttribute>;
}

export function buildTemplateContext(group: TemplateGroup): TemplateContext {
  // Null-prototype object: attribute names come from reports, and "__proto__" or
  // "constructor" must be plain keys, not special ones.
  const attributes: Record<string, TemplateAttribute> = Object.create(null);
  for (const name of Object.keys(group.attributes ?? {}).sort(compareNatural)) {
    const values = sortedValues(group.attributes[name] ?? {});
    attributes[name] = { top: values[0]?.value ?? null, topCount: values[0]?.count ?? 0, values };
  }
  return {
    title: group.title ?? '',
    fingerprint: group.fingerprint,
    callstack: [...(group.callstack ?? [])],
    classifiers: [...(group.classifiers ?? [])],
    count: group.count,
    firstSeen: group.firstSeen,
    lastSeen: group.lastSeen,
    link: group.link ?? null,
    state: group.state,
    project: { key: group.project.key, name: group.project.name },
    attributes,
  };
}

/** Own-property lookup of an attribute (never reaches Object.prototype). */
export function findAttribute(ctx: Pick<TemplateContext, 'attributes'>, name: string): TemplateAttribute | undefined {
  const attributes = ctx.attributes;
  return attributes && Object.prototype.hasOwnProperty.call(attributes, name) ? attributes[name] : undefined;
}
