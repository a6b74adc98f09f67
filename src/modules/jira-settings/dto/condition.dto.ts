import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn } from 'class-validator';
import { CONDITION_OPS, ConditionOp, LIST_OPS, regexProblem } from '@app/modules/conditions';
import { MAX_CONDITION_ATTRIBUTE, MAX_CONDITION_VALUE, MAX_CONDITION_VALUES } from '@app/modules/jira-settings/domain/limits';
import { IsOptionalNotNull, Problem, Str, Trim, strProblem } from './validators';

const VALUE = { max: MAX_CONDITION_VALUE, allowEmpty: true } as const;
const OPS_TEXT = CONDITION_OPS.map((op) => `"${op}"`).join(', ');
const isOp = (op: unknown): op is ConditionOp => (CONDITION_OPS as readonly unknown[]).includes(op);

/**
 * Why a row's `value` does not suit its `op` (without the member's name), or null. `in` / `not in`: a
 * non-empty list of strings; `exists`: none; the others: one string, for `matches` a pattern RE2 compiles.
 * Numbers are strings by now (the Transform below). An unknown op is reported on `op` only.
 */
export function conditionValueProblem(value: unknown, op: unknown): string | null {
  if (!isOp(op)) return null;
  if (op === 'exists') return value === undefined ? null : 'must be left out for op "exists" (it takes no value)';
  if (LIST_OPS.includes(op)) {
    if (value === undefined || value === null) return `is required for op "${op}": a list of strings`;
    if (!Array.isArray(value)) return `must be a list of strings for op "${op}"`;
    if (value.length === 0) return `must not be an empty list for op "${op}"`;
    if (value.length > MAX_CONDITION_VALUES) return `must have at most ${MAX_CONDITION_VALUES} values`;
    for (const [i, v] of value.entries()) {
      const problem = strProblem(v, VALUE);
      if (problem) return `[${i}] ${problem}`;
    }
    return null;
  }
  if (value === undefined || value === null) return `is required for op "${op}"`;
  if (typeof value !== 'string') return `must be a string for op "${op}"`;
  return strProblem(value, VALUE) ?? (op === 'matches' ? regexProblem(value) : null);
}

/** Attribute values are strings: a number given as a value is compared as its text (`"build": 1234` → "1234"). */
const numberAsText = (v: unknown): unknown => (typeof v === 'number' ? String(v) : v);

/** `{"attribute": "environment", "op": "=", "value": "production"}` (docs/behaviour.md, "Conditions"). */
export class ConditionDto {
  /** An attribute of the reports, or `title`, `classifier`, `fingerprint`. */
  @ApiProperty({ maxLength: MAX_CONDITION_ATTRIBUTE, example: 'environment', description: 'An attribute of the reports, or `title`, `classifier`, `fingerprint`' })
  @Trim() @Str({ max: MAX_CONDITION_ATTRIBUTE, required: true, noControl: true })
  attribute: string;

  @ApiProperty({ enum: CONDITION_OPS })
  @IsIn(CONDITION_OPS, { message: `op must be one of ${OPS_TEXT}` })
  op: ConditionOp;

  /** A list for `in` / `not in`, left out for `exists`, one string otherwise (numbers are taken as text). */
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] })
  @Transform(({ value }) => (Array.isArray(value) ? value.map(numberAsText) : numberAsText(value)))
  @Problem('conditionValue', (v, o) => conditionValueProblem(v, (o as { op?: unknown }).op))
  value?: string | string[];

  /** Hold when any value the group has seen satisfies the row, not only its top value. */
  @ApiPropertyOptional({ description: 'Hold when any value the group has seen satisfies the row, not only its top value' })
  @IsOptionalNotNull() @IsBoolean()
  any?: boolean;
}
