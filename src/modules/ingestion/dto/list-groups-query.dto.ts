import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { GROUP_STATES, GroupState } from '@app/database/entities';

export class ListGroupsQueryDto {
  @ApiPropertyOptional({ enum: GROUP_STATES })
  @IsOptional() @IsIn(GROUP_STATES, { message: `state must be one of ${GROUP_STATES.join(', ')}` })
  state?: GroupState;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;

  /** Case-insensitive match on title or fingerprint. */
  @ApiPropertyOptional({ maxLength: 200, description: 'Case-insensitive match on title or fingerprint' })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;
}
