import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { HOURLY_COUNT_WINDOW_HOURS } from '@app/database/repositories/group-hourly-count.repository';
import { CHARTED_HOURS, GroupOccurrences } from '@app/modules/ingestion/use-cases/get-group-occurrences.use-case';

export class GroupOccurrencesQueryDto {
  /** How many hours back, the current hour included (counts are kept for 30 days). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: HOURLY_COUNT_WINDOW_HOURS, default: CHARTED_HOURS })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(HOURLY_COUNT_WINDOW_HOURS)
  hours?: number;
}

export class HourlyCountDto {
  /** Start of the hour (UTC). */
  @ApiProperty({ format: 'date-time', example: '2026-12-06T09:00:00.000Z' })
  hour: string;

  /** Occurrences reported with a lastSeen in this hour. */
  @ApiProperty({ example: 12 })
  count: number;
}

export class GroupOccurrencesResponseDto {
  /** Oldest first; hours without occurrences are left out. */
  @ApiProperty({ type: [HourlyCountDto] })
  items: HourlyCountDto[];

  static from(o: GroupOccurrences): GroupOccurrencesResponseDto {
    return { items: o.hours.map((h) => ({ hour: h.start.toISOString(), count: h.count })) };
  }
}
