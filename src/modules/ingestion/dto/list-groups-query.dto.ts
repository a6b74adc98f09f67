import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { GROUP_STATES, GroupState } from '@app/database/entities';

export class ListGroupsQueryDto {
  @IsOptional() @IsIn(GROUP_STATES, { message: `state must be one of ${GROUP_STATES.join(', ')}` })
  state?: GroupState;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;

  /** Case-insensitive match on title or fingerprint. */
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;
}
