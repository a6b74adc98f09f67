import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import { MAX_FINGERPRINT } from '@app/modules/ingest-body/limits';

/** Exactly one of `fingerprint` (a stored group) or `group` (an ingestion body, not stored). */
export class PreviewRequestDto {
  @ApiPropertyOptional({ description: 'fingerprint of a stored group of this project' })
  @IsOptional() @IsString() @Length(1, MAX_FINGERPRINT)
  fingerprint?: string;

  /** Validated like ingestion once we know it is the one given (see parsePreviewSource). */
  @ApiPropertyOptional({ description: 'a group as POSTed to /groups (one group, not a batch); nothing is stored' })
  @IsOptional() @IsObject()
  group?: Record<string, unknown>;
}
