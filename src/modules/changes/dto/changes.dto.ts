import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CHANGE_TYPES, ChangeType } from '@app/database/repositories/group-change.repository';

export class ChangesQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page; omit to start at the oldest change kept', maxLength: 64 })
  @IsOptional() @IsString() @MaxLength(64)
  after?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

export class ChangeDto {
  @ApiProperty({ description: 'Opaque; pass it as `after` to read on from this change' })
  cursor: string;
  @ApiProperty({ enum: CHANGE_TYPES })
  type: ChangeType;
  @ApiProperty()
  fingerprint: string;
  @ApiProperty({ format: 'date-time' })
  at: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed, by type (e.g. state: {from, to}; comment.added: comment {id, source, author, body, createdAt, jiraCommentId})' })
  changes: Record<string, unknown>;
}

export class ChangesPageDto {
  @ApiProperty({ type: [ChangeDto], description: 'In commit order' })
  items: ChangeDto[];
  @ApiProperty({ description: 'Pass as `after` for the next page; the same cursor again when there is nothing new yet' })
  nextCursor: string;
}
