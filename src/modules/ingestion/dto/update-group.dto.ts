import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, ValidateIf, ValidateNested } from 'class-validator';
import { GROUP_STATES, GroupState } from '@app/database/entities';

export class ResolvedUntilDto {
  @IsString() @Length(1, 256)
  version: string;

  /** Defaults to the integration's version attribute, else "version". */
  @IsOptional() @IsString() @Length(1, 128)
  attribute?: string;
}

export class UpdateGroupDto {
  @IsOptional() @IsIn(GROUP_STATES, { message: `state must be one of ${GROUP_STATES.join(', ')}` })
  state?: GroupState;

  /** A user (e.g. an email); null unassigns. */
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsString() @Length(1, 256)
  assignee?: string | null;

  /** Implies state resolved; null clears it. */
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsObject() @ValidateNested() @Type(() => ResolvedUntilDto)
  resolvedUntil?: ResolvedUntilDto | null;
}
