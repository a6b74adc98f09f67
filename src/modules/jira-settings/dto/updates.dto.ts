import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_FIELD_VALUE_TEMPLATE, MAX_NAME } from '@app/modules/jira-settings/domain/limits';
import { IssueUpdates } from '@app/modules/jira-settings/jira-settings';
import { Int, IsOptionalNotNull, IsTemplate, NestedList, PathRule, Problem, Str, Trim } from './validators';

export const MAX_UPDATE_FIELDS = 20;
export const MAX_MILESTONES = 20;
export const MAX_MILESTONE = 1_000_000_000_000;
/** One day; 0 writes each change as soon as a worker takes it. */
export const MAX_UPDATE_INTERVAL_MINUTES = 1440;

export class UpdateFieldDto {
  /** Field id (`customfield_10011`, `labels`, `description`) or name, as in customFields. */
  @ApiProperty({ maxLength: MAX_NAME, description: 'Field id (`customfield_10011`, `labels`) or name' })
  @Trim() @Str({ max: MAX_NAME, required: true })
  field: string;

  /** Template rendered from the group as it is when the update runs; for array fields, a comma-separated list. */
  @ApiProperty({ maxLength: MAX_FIELD_VALUE_TEMPLATE, description: 'Template; for array fields, a comma-separated list' })
  @Str({ max: MAX_FIELD_VALUE_TEMPLATE, required: true, allowEmpty: true }) @IsTemplate()
  value: string;
}

// Project and issue type are chosen when the issue is created; an update never moves it.
const NOT_UPDATABLE = new Set(['project', 'issuetype', 'issue type']);

/** The first entry naming a field that cannot be updated, or one named before: `updates.fields[2].field: …`. */
export function updateFieldsProblem(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  const seen = new Map<string, number>();
  for (const [i, e] of list.entries()) {
    const name = e && typeof e === 'object' && typeof (e as { field?: unknown }).field === 'string' ? (e as { field: string }).field.trim().toLowerCase() : undefined;
    if (name === undefined) continue;
    if (NOT_UPDATABLE.has(name)) return `fields[${i}].field: ${name} is set when the issue is created and cannot be updated`;
    const before = seen.get(name);
    if (before !== undefined) return `fields[${i}].field: the field is already written by fields[${before}]`;
    seen.set(name, i);
  }
  return null;
}

/** Why a milestones value is refused, or null: distinct whole counts from 1 up. */
export function milestonesProblem(v: unknown): string | null {
  if (!Array.isArray(v)) return 'must be an array of counts';
  if (v.length > MAX_MILESTONES) return `must have at most ${MAX_MILESTONES} entries`;
  const bad = v.findIndex((n) => !Number.isInteger(n) || n < 1 || n > MAX_MILESTONE);
  if (bad >= 0) return `[${bad}] must be an integer from 1 to ${MAX_MILESTONE}`;
  const dup = v.findIndex((n, i) => v.indexOf(n) !== i);
  return dup >= 0 ? `[${dup}] repeats ${String(v[dup])}` : null;
}

/** Keeping the issue current (docs/behaviour.md, "Issues that stay current"). A partial object is completed from the defaults. */
export class UpdatesDto {
  /** Fields written to the linked issue when its group changes (an edit of the issue, at most one per interval). */
  @ApiPropertyOptional({ type: [UpdateFieldDto], maxItems: MAX_UPDATE_FIELDS })
  @IsOptionalNotNull() @NestedList(() => UpdateFieldDto, MAX_UPDATE_FIELDS) @PathRule(updateFieldsProblem)
  fields?: UpdateFieldDto[];

  /** Minutes between two edits of one issue (default 10); the last change is written when the interval is over. */
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_UPDATE_INTERVAL_MINUTES, default: 10 })
  @IsOptionalNotNull() @Int(0, MAX_UPDATE_INTERVAL_MINUTES)
  minIntervalMinutes?: number;

  /** Counts at which the issue gets one comment (e.g. 100, 1000, 10000). */
  @ApiPropertyOptional({ type: [Number], maxItems: MAX_MILESTONES, example: [100, 1000, 10000] })
  @IsOptionalNotNull() @Problem('milestones', milestonesProblem)
  milestones?: number[];
}

/** The stored shape: milestones in ascending order. */
export function toStoredUpdates(dto: UpdatesDto | undefined, defaults: IssueUpdates): IssueUpdates {
  return {
    fields: (dto?.fields ?? defaults.fields).map(({ field, value }) => ({ field, value })),
    minIntervalMinutes: dto?.minIntervalMinutes ?? defaults.minIntervalMinutes,
    milestones: [...(dto?.milestones ?? defaults.milestones)].sort((a, b) => a - b),
  };
}
