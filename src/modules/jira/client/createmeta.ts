/**
 * Normalisation of Jira's create metadata
 * (`GET issue/createmeta/{project}/issuetypes[/{issueTypeId}]`).
 *
 * Jira Cloud answers `{ issueTypes: [...] }` / `{ fields: [...] }` with `startAt`, `maxResults`
 * and `total`; Jira Data Center answers `{ values: [...], isLast, startAt, maxResults }`.
 * The deprecated `createmeta?expand=...` shape (fields as an object keyed by field id) is
 * understood too.
 */

export interface JiraFieldSchema {
  type: string;
  items?: string;
  system?: string;
  custom?: string;
  customId?: number;
  [extra: string]: unknown;
}

export interface JiraCreateMetaIssueType {
  id: string;
  name: string;
  subtask: boolean;
  description?: string;
  iconUrl?: string;
}

export interface JiraCreateMetaField {
  /** `summary`, `customfield_10010`, ... */
  fieldId: string;
  key: string;
  name: string;
  required: boolean;
  schema: JiraFieldSchema;
  allowedValues?: unknown[];
  hasDefaultValue: boolean;
  defaultValue?: unknown;
  operations: string[];
  autoCompleteUrl?: string;
}

/** One page of a paged list, whatever its wire shape. */
export interface MetaPage<T> {
  items: T[];
  startAt?: number;
  maxResults?: number;
  total?: number;
  /** Data Center's `isLast`; undefined when the shape has none (then `total` decides). */
  isLast?: boolean;
}

export class CreateMetaShapeError extends Error {
  override readonly name = 'CreateMetaShapeError';
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

function pageOf(data: Obj, items: unknown[] | undefined): MetaPage<unknown> {
  return {
    items: items ?? [],
    startAt: num(data.startAt),
    maxResults: num(data.maxResults),
    total: num(data.total),
    isLast: typeof data.isLast === 'boolean' ? data.isLast : undefined,
  };
}

export function normalizeCreateMetaIssueTypesPage(data: unknown): MetaPage<JiraCreateMetaIssueType> {
  let page: MetaPage<unknown>;
  if (Array.isArray(data)) page = { items: data, isLast: true };
  else if (isObj(data) && Array.isArray(data.issueTypes)) page = pageOf(data, data.issueTypes);
  else if (isObj(data) && Array.isArray(data.values)) page = pageOf(data, data.values);
  else throw new CreateMetaShapeError('unexpected createmeta issue types response (no issueTypes or values)');
  return { ...page, items: page.items.filter(isObj).map(normalizeIssueType) };
}

export function normalizeCreateMetaFieldsPage(data: unknown): MetaPage<JiraCreateMetaField> {
  let page: MetaPage<unknown>;
  if (Array.isArray(data)) page = { items: data, isLast: true };
  else if (isObj(data) && Array.isArray(data.fields)) page = pageOf(data, data.fields);
  else if (isObj(data) && Array.isArray(data.values)) page = pageOf(data, data.values);
  else if (isObj(data) && isObj(data.fields)) {
    // Old shape: { fields: { summary: {...}, customfield_10010: {...} } }
    const items = Object.entries(data.fields).map(([id, f]) => (isObj(f) ? { fieldId: id, ...f } : f));
    page = { items, isLast: true };
  } else throw new CreateMetaShapeError('unexpected createmeta fields response (no fields or values)');
  return {
    ...page,
    items: page.items.filter(isObj).map(normalizeField).filter((f): f is JiraCreateMetaField => f !== null),
  };
}

function normalizeIssueType(raw: Obj): JiraCreateMetaIssueType {
  const out: JiraCreateMetaIssueType = {
    id: str(raw.id) ?? '',
    name: str(raw.name) ?? '',
    subtask: raw.subtask === true,
  };
  if (typeof raw.description === 'string') out.description = raw.description;
  if (typeof raw.iconUrl === 'string') out.iconUrl = raw.iconUrl;
  return out;
}

function normalizeField(raw: Obj): JiraCreateMetaField | null {
  const fieldId = str(raw.fieldId) ?? str(raw.key) ?? str(raw.id);
  if (!fieldId) return null;
  const schemaRaw = isObj(raw.schema) ? raw.schema : {};
  const schema: JiraFieldSchema = { ...schemaRaw, type: str(schemaRaw.type) ?? 'any' };
  const out: JiraCreateMetaField = {
    fieldId,
    key: str(raw.key) ?? fieldId,
    name: str(raw.name) ?? fieldId,
    required: raw.required === true,
    schema,
    hasDefaultValue: raw.hasDefaultValue === true,
    operations: Array.isArray(raw.operations) ? raw.operations.filter((o): o is string => typeof o === 'string') : [],
  };
  if (Array.isArray(raw.allowedValues)) out.allowedValues = raw.allowedValues;
  if ('defaultValue' in raw) out.defaultValue = raw.defaultValue;
  if (typeof raw.autoCompleteUrl === 'string') out.autoCompleteUrl = raw.autoCompleteUrl;
  return out;
}

/**
 * Offset of the next page, or undefined when this was the last one. Stops on an empty page
 * (guards against a server that never says it is done).
 */
export function nextStartAt(page: MetaPage<unknown>, requestedStartAt: number): number | undefined {
  if (page.items.length === 0 || page.isLast === true) return undefined;
  const next = (page.startAt ?? requestedStartAt) + page.items.length;
  if (page.isLast === false) return next;
  if (page.total === undefined || next >= page.total) return undefined;
  return next;
}
