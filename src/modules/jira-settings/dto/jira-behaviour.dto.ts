import { IsBoolean, ValidateIf } from 'class-validator';
import {
  MAX_CONDITIONS, MAX_MIN_COUNT, MAX_NAME, MAX_THRESHOLD_COUNT, MAX_THRESHOLD_MINUTES, MAX_TICKETS_PER_HOUR,
} from '@app/modules/jira-settings/domain/limits';
import { ConditionDto } from './condition.dto';
import { Int, IsOptionalNotNull, Nested, NestedList, Str, Trim } from './validators';

// Every member is optional: a partial object is completed from SETTINGS_DEFAULTS.

export class SyncDto {
  /** State and assignee changes made here update the Jira issue. */
  @IsOptionalNotNull() @IsBoolean()
  outbound?: boolean;

  /** Jira webhooks and resync update the groups. */
  @IsOptionalNotNull() @IsBoolean()
  inbound?: boolean;
}

export class FixVersionSyncDto {
  @IsOptionalNotNull() @IsBoolean()
  enabled?: boolean;

  /** The attribute that holds the application version; default `version`. */
  @IsOptionalNotNull() @Trim() @Str({ max: MAX_NAME })
  versionAttribute?: string;
}

export class RegressionDto {
  /** Transition the linked issue back to the primary `open` status. */
  @IsOptionalNotNull() @IsBoolean()
  reopenJira?: boolean;

  /** Comment on the linked issue with the version and counts. */
  @IsOptionalNotNull() @IsBoolean()
  comment?: boolean;
}

/** `count` occurrences within `withinMinutes` minutes. */
export class ThresholdDto {
  @Int(1, MAX_THRESHOLD_COUNT)
  count: number;

  @Int(1, MAX_THRESHOLD_MINUTES)
  withinMinutes: number;
}

export class CreateRulesDto {
  /** Create an issue automatically for a new group that meets the rules below. */
  @IsOptionalNotNull() @IsBoolean()
  onNewGroup?: boolean;

  /** Occurrences a group needs before its issue is created. */
  @IsOptionalNotNull() @Int(1, MAX_MIN_COUNT)
  minCount?: number;

  /** Automatic creations per project per hour, against ticket storms. */
  @IsOptionalNotNull() @Int(1, MAX_TICKETS_PER_HOUR)
  maxTicketsPerHour?: number;

  /** Rows that must all hold before a group gets its issue automatically (e.g. only production crashes). */
  @IsOptionalNotNull() @NestedList(() => ConditionDto, MAX_CONDITIONS)
  when?: ConditionDto[];

  /** The issue once the group had `count` occurrences within `withinMinutes`, minCount still applies to the total; null: none. */
  @ValidateIf((_, v) => v !== undefined && v !== null) @Nested(() => ThresholdDto)
  threshold?: ThresholdDto | null;

  /** A regressed group that has no issue gets one. */
  @IsOptionalNotNull() @IsBoolean()
  onRegression?: boolean;
}
