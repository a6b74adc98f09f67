import { Condition, LIST_OPS } from '@app/modules/conditions';
import { FormBody, indexedItems, isChecked, joinList, splitList, textOf } from './indexed-fields';

/** One condition row as typed: the value is text (a list is comma-separated), `any` a checkbox. */
export interface ConditionRowForm {
  attribute: string;
  op: string;
  value: string;
  any: boolean;
}

/** The operator a new row starts with. */
export const DEFAULT_OP = '=';

export const blankConditionRow = (): ConditionRowForm => ({ attribute: '', op: DEFAULT_OP, value: '', any: false });

export function conditionRowsFromSettings(rows: readonly Condition[] | undefined): ConditionRowForm[] {
  return (rows ?? []).map((c) => ({
    attribute: c.attribute,
    op: c.op,
    value: Array.isArray(c.value) ? joinList(c.value) : (c.value ?? ''),
    any: c.any === true,
  }));
}

/** The rows of list `name` (`when`) in a form body, as typed. */
export function readConditionRows(body: FormBody, name: string): ConditionRowForm[] {
  return indexedItems(body, name).map((row) => ({
    attribute: textOf(row.attribute).trim(),
    op: textOf(row.op).trim(),
    value: textOf(row.value),
    any: isChecked(row.any),
  }));
}

/** A row with neither attribute nor value (e.g. one just added and left blank) is not a condition. */
export const isBlankRow = (row: ConditionRowForm): boolean => row.attribute === '' && row.value.trim() === '';

/**
 * A row as the API takes it. The value follows the operator: a list for `in`/`not in`, none for
 * `exists` (whatever its input holds), text otherwise; an unknown operator is passed on for the
 * API's validation to name.
 */
export function conditionToBody(row: ConditionRowForm): Record<string, unknown> {
  const op = row.op;
  const out: Record<string, unknown> = { attribute: row.attribute, op };
  if (LIST_OPS.includes(op as never)) out.value = splitList(row.value);
  else if (op !== 'exists') out.value = op === 'matches' ? row.value : row.value.trim();
  if (row.any) out.any = true;
  return out;
}
