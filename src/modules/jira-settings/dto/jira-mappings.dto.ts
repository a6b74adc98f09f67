import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, ValidateIf } from 'class-validator';
import { GROUP_STATES, GroupState } from '@app/database/entities';
import { MAX_FIELD_VALUE_TEMPLATE, MAX_NAME } from '@app/modules/jira-settings/domain/limits';
import { IsOptionalNotNull, IsTemplate, Str, Trim } from './validators';

/** Backtrace's "Custom Field Mapping": which Jira fields take the labels and the main body text. */
export class FieldMappingDto {
  /** A field id (`customfield_10020`) or name; default `labels`. */
  @ApiPropertyOptional({ maxLength: MAX_NAME, default: 'labels' })
  @IsOptionalNotNull() @Trim() @Str({ max: MAX_NAME })
  labels?: string;

  /** A field id or name; default `description`. */
  @ApiPropertyOptional({ maxLength: MAX_NAME, default: 'description' })
  @IsOptionalNotNull() @Trim() @Str({ max: MAX_NAME })
  description?: string;
}

export class CustomFieldDto {
  /** Field id (`customfield_10011`) or name (case-insensitive). */
  @ApiProperty({ maxLength: MAX_NAME, description: 'Field id (`customfield_10011`) or name' })
  @Trim() @Str({ max: MAX_NAME, required: true })
  field: string;

  /** Template; for array fields, a comma-separated list. Empty leaves the field out. */
  @ApiProperty({ maxLength: MAX_FIELD_VALUE_TEMPLATE, description: 'Template; for array fields, a comma-separated list. Empty leaves the field out' })
  @Str({ max: MAX_FIELD_VALUE_TEMPLATE, required: true, allowEmpty: true }) @IsTemplate()
  value: string;
}

export class StatusMappingDto {
  @ApiProperty({ maxLength: MAX_NAME })
  @Trim() @Str({ max: MAX_NAME, required: true })
  jiraStatus: string;

  @ApiProperty({ enum: GROUP_STATES })
  @IsIn(GROUP_STATES, { message: `state must be one of ${GROUP_STATES.join(', ')}` })
  state: GroupState;

  /** The status outbound transitions aim for, for this state (at most one per state). */
  @ApiPropertyOptional({ description: 'The status outbound transitions aim for, for this state' })
  @IsOptionalNotNull() @IsBoolean()
  primary?: boolean;

  /** The resolution set on a transition into this status whose screen shows one (`Fixed`, `Won't Fix`…). */
  @ApiPropertyOptional({ maxLength: MAX_NAME })
  @IsOptionalNotNull() @Trim() @Str({ max: MAX_NAME })
  resolution?: string;
}

type UserMappingInput = { jiraAccountId?: unknown; jiraUsername?: unknown };

export class UserMappingDto {
  /** A user as the error service names them, usually an email. */
  @ApiProperty({ maxLength: MAX_NAME, description: 'A user as the error service names them, usually an email' })
  @Trim() @Str({ max: MAX_NAME, required: true })
  user: string;

  /** Jira Cloud account id. One of jiraAccountId / jiraUsername is required. */
  @ApiPropertyOptional({ maxLength: 128, description: 'Jira Cloud account id; this or jiraUsername' })
  @ValidateIf((o: UserMappingInput) => o.jiraAccountId !== undefined || o.jiraUsername === undefined)
  @Trim() @Str({ max: 128, noControl: true, required: 'or jiraUsername is required (the Cloud account id or the Data Center user name)' })
  jiraAccountId?: string;

  /** Jira Server / Data Center user name. */
  @ApiPropertyOptional({ maxLength: MAX_NAME, description: 'Jira Server / Data Center user name' })
  @IsOptionalNotNull() @Trim() @Str({ max: MAX_NAME, noControl: true })
  jiraUsername?: string;
}
