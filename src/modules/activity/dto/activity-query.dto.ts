import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ACTIVITY_SOURCES, ActivitySource } from '@app/database/entities';

export class ActivityQueryDto {
  @IsOptional() @IsString() @Length(1, 256)
  fingerprint?: string;

  @IsOptional() @IsString() @Length(1, 64)
  kind?: string;

  @IsOptional() @IsIn(ACTIVITY_SOURCES)
  source?: ActivitySource;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

export class ActivityEntryDto {
  at: string;
  fingerprint: string | null;
  kind: string;
  source: ActivitySource;
  detail: string;
  data?: Record<string, unknown>;
}
