import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { GROUP_STATES, GroupState } from '@app/database/entities';

/** The most groups one backfill takes. */
export const BACKFILL_MAX_GROUPS = 10_000;

export class BackfillRequestDto {
  @ApiPropertyOptional({ enum: GROUP_STATES, description: 'Only groups in this state' })
  @IsOptional() @IsIn(GROUP_STATES)
  state?: GroupState;

  @ApiPropertyOptional({ description: 'Only groups whose title or fingerprint contains this (case-insensitive)' })
  @IsOptional() @IsString() @Length(1, 256)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'Only groups with at least this many occurrences' })
  @IsOptional() @IsInt() @Min(1)
  minCount?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: BACKFILL_MAX_GROUPS, default: BACKFILL_MAX_GROUPS, description: 'At most this many groups (most occurrences first)' })
  @IsOptional() @IsInt() @Min(1) @Max(BACKFILL_MAX_GROUPS)
  limit?: number;
}

export const MATCH_SOURCES = ['labels', 'summary', 'description'] as const;

export class ImportMatchDto {
  @ApiProperty({ example: 'labels', description: "Where the fingerprint is: labels, summary, description, or a field id (e.g. customfield_10050)" })
  @IsString() @Length(1, 64)
  from: string;

  @ApiProperty({ example: '^fp-(.+)$', description: 'A regular expression (RE2) with exactly one capture group: the fingerprint' })
  @IsString() @IsNotEmpty() @Length(1, 200)
  pattern: string;
}

export class ImportRequestDto {
  @ApiProperty({ example: 'project = OLD AND labels is not EMPTY', description: 'The Jira issues to look at' })
  @IsString() @IsNotEmpty() @Length(1, 2000)
  jql: string;

  @ApiProperty({ type: ImportMatchDto })
  @IsObject() @ValidateNested() @Type(() => ImportMatchDto)
  match: ImportMatchDto;
}

/** A backfill or an import and its progress. */
export class JiraRunDto {
  @ApiProperty({ example: '12' })
  id: string;
  @ApiProperty({ enum: ['running', 'done', 'cancelled', 'failed'] })
  status: string;
  @ApiProperty({ description: 'Groups to create tickets for (backfill); issues found so far (import)' })
  total: number;
  @ApiProperty({ description: 'Tickets created or found (backfill); groups linked (import)' })
  done: number;
  @ApiProperty({ description: 'Groups whose ticket Jira refused (backfill); issues whose fingerprint matched no group (import)' })
  failed: number;
  @ApiProperty({ description: 'Groups linked meanwhile by other means (backfill); groups that already had an issue (import)' })
  skipped: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why a failed run stopped' })
  error: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;
}
