import { AttributeHistograms } from '@app/database/entities';

/** The operators a condition row may use. */
export const CONDITION_OPS = ['=', '!=', 'in', 'not in', 'contains', 'matches', '>=', '<', 'exists'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** Operators whose value is a list of strings; `exists` takes none; the others take one string. */
export const LIST_OPS: readonly ConditionOp[] = ['in', 'not in'];
/** Operators that hold when no value of the attribute satisfies their positive form. */
export const NEGATIVE_OPS: readonly ConditionOp[] = ['!=', 'not in'];

/** Names that are not attributes but fields of the group itself. */
export const PSEUDO_ATTRIBUTES = ['title', 'classifier', 'fingerprint'] as const;

/**
 * One row of routes' and creation rules' `when`: `{"attribute": "environment", "op": "=", "value": "production"}`.
 * With `any`, the attribute holds when any value seen satisfies the row, not only its top value.
 */
export interface Condition {
  attribute: string;
  op: ConditionOp;
  /** A list for `in` / `not in`, absent for `exists`, one string otherwise. */
  value?: string | string[];
  any?: boolean;
}

/** What conditions are evaluated against: a group as ingestion stores it. */
export interface ConditionSubject {
  title: string;
  fingerprint: string;
  classifiers: string[];
  attributes: AttributeHistograms;
}

/** How the rows are read: `>=` and `<` on this attribute compare versions (`1.10.0` > `1.9.2`). */
export interface ConditionOptions {
  versionAttribute: string;
}
