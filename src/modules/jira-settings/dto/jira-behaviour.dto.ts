import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, ValidateIf } from 'class-validator';
import {
  MAX_CONDITIONS, MAX_MIN_COUNT, MAX_NAME, MAX_THRESHOLD_COUNT, MAX_THRESHOLD_MINUTES, MAX_TICKETS_PER_HOUR,
} from '@app/modules/jira-settings/domain/limits';
import { ConditionDto } from './condition.dto';
import { Int, IsOptionalNotNull, Nested, NestedList, Str, Trim } from './validators';

// Every member is optional: a partial object is completed from SETTINGS_DEFAULTS.

export class SyncDto {
  /** State and assignee changes made here update the Jira issue. */
  @ApiPropertyOptional({ description: 'State and assignee changes made here update the Jira issue' })
  @IsOptionalNotNull() @IsBoolean()
  outbound?: boolean;

  /** Jira webhooks and resync update the groups. */
  @ApiPropertyOptional({ description: 'Jira webhooks and resync update the groups' })
  @IsOptionalNotNull() @IsBoolean()
  inbound?: boolean;
}

export class FixVersionSyncDto {
  @ApiPropertyOptional({})
  @IsOptionalNotNull() @IsBoolean()
  enabled?: boolean;

  /** The attribute that holds the application version; default `version`. */
  @ApiPropertyOptional({ maxLength: MAX_NAME, default: 'version' })
  @IsOptionalNotNull() @Trim() @Str({ max: MAX_NAME })
  versionAttribute?: string;
}

export class RegressionDto {
  /** Transition the linked issue back to the primary `open` status. */
  @ApiPropertyOptional({ description: 'Transition the linked issue back to the primary `open` status' })
  @IsOptionalNotNull() @IsBoolean()
  reopenJira?: boolean;

  /** Comment on the linked issue with the version and counts. */
  @ApiPropertyOptional({ description: 'Comment on the linked issue with the version and counts' })
  @IsOptionalNotNull() @IsBoolean()
  comment?: boolean;
}

/** `count` occurrences within `withinMinutes` minutes. */
export class ThresholdDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_THRESHOLD_COUNT })
  @Int(1, MAX_THRESHOLD_COUNT)
  count: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_THRESHOLD_MINUTES })
  @Int(1, MAX_THRESHOLD_MINUTES)
  withinMinutes: number;
}

export class CreateRulesDto {
  /** Create an issue automatically for a new group that meets the rules below. */
  @ApiPropertyOptional({})
  @IsOptionalNotNull() @IsBoolean()
  onNewGroup?: boolean;

  /** Occurrences a group needs before its issue is created. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_MIN_COUNT })
  @IsOptionalNotNull() @Int(1, MAX_MIN_COUNT)
  minCount?: number;

  /** Automatic creations per project per hour, against ticket storms. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_TICKETS_PER_HOUR })
  @IsOptionalNotNull() @Int(1, MAX_TICKETS_PER_HOUR)
  maxTicketsPerHour?: number;

  /** Rows that must all hold before a group gets its issue automatically (e.g. only production crashes). */
  @ApiPropertyOptional({ type: [ConditionDto], maxItems: MAX_CONDITIONS, description: 'Rows that must all hold' })
  @IsOptionalNotNull() @NestedList(() => ConditionDto, MAX_CONDITIONS)
  when?: ConditionDto[];

  /** The issue once the group had `count` occurrences within `withinMinutes`, minCount still applies to the total; null: none. */
  @ApiPropertyOptional({ type: ThresholdDto, nullable: true, description: '`count` occurrences within `withinMinutes`; null: none' })
  @ValidateIf((_, v) => v !== undefined && v !== null) @Nested(() => ThresholdDto)
  threshold?: ThresholdDto | null;

  /** A regressed group that has no issue gets one. */
  @ApiPropertyOptional({ description: 'A regressed group that has no issue gets one' })
  @IsOptionalNotNull() @IsBoolean()
  onRegression?: boolean;
}
