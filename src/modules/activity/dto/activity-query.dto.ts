import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ACTIVITY_SOURCES, ActivitySource } from '@app/database/entities';

export class ActivityQueryDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 256, description: 'Only this group\'s entries' })
  @IsOptional() @IsString() @Length(1, 256)
  fingerprint?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64, example: 'ticket.created' })
  @IsOptional() @IsString() @Length(1, 64)
  kind?: string;

  @ApiPropertyOptional({ enum: ACTIVITY_SOURCES })
  @IsOptional() @IsIn(ACTIVITY_SOURCES)
  source?: ActivitySource;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

export class ActivityEntryDto {
  @ApiProperty({ format: 'date-time' })
  at: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for entries about the project, not one group' })
  fingerprint: string | null;
  @ApiProperty({ example: 'ticket.created' })
  kind: string;
  @ApiProperty({ enum: ACTIVITY_SOURCES })
  source: ActivitySource;
  @ApiProperty({ description: 'One line for people' })
  detail: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Details for machines, by kind' })
  data?: Record<string, unknown>;
}
