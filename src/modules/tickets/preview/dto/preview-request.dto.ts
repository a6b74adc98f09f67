import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import { IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';
import { MAX_FINGERPRINT } from '@app/modules/ingest-body/limits';

/** Longer than any route name the settings could hold: a longer one is unknown anyway. */
const MAX_ROUTE_NAME = 200;

/** Exactly one of `fingerprint` (a stored group) or `group` (an ingestion body, not stored). */
export class PreviewRequestDto {
  @ApiPropertyOptional({ description: 'fingerprint of a stored group of this project' })
  @IsOptional() @IsString() @Length(1, MAX_FINGERPRINT)
  fingerprint?: string;

  /** Validated like ingestion once we know it is the one given (see parsePreviewSource). */
  @ApiPropertyOptional({ type: () => IngestGroupDto, description: 'a group as POSTed to /groups (one group, not a batch); nothing is stored' })
  @IsOptional() @IsObject()
  group?: Record<string, unknown>;

  /** Absent: the route the group's conditions select. */
  @ApiPropertyOptional({ description: "the route to preview: a name from the settings' routes, or 'default' (the top-level settings)", example: 'mobile' })
  @IsOptional() @IsString() @Length(1, MAX_ROUTE_NAME)
  route?: string;
}
