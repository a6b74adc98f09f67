import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, ValidateIf, ValidateNested } from 'class-validator';
import { GROUP_STATES, GroupState } from '@app/database/entities';

export class ResolvedUntilDto {
  @ApiProperty({ minLength: 1, maxLength: 256 })
  @IsString() @Length(1, 256)
  version: string;

  /** Defaults to the integration's version attribute, else "version". */
  @ApiPropertyOptional({ minLength: 1, maxLength: 128, description: 'Defaults to the integration\'s version attribute, else "version"' })
  @IsOptional() @IsString() @Length(1, 128)
  attribute?: string;
}

export class UpdateGroupDto {
  @ApiPropertyOptional({ enum: GROUP_STATES })
  @IsOptional() @IsIn(GROUP_STATES, { message: `state must be one of ${GROUP_STATES.join(', ')}` })
  state?: GroupState;

  /** A user (e.g. an email); null unassigns. */
  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 256, description: 'A user (e.g. an email); null unassigns' })
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsString() @Length(1, 256)
  assignee?: string | null;

  /** Implies state resolved; null clears it. */
  @ApiPropertyOptional({ type: ResolvedUntilDto, nullable: true, description: 'Implies state resolved; null clears it' })
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsObject() @ValidateNested() @Type(() => ResolvedUntilDto)
  resolvedUntil?: ResolvedUntilDto | null;
}
