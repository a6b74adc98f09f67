import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length, ValidateIf } from 'class-validator';
import { GROUP_STATES, GroupState } from '@app/database/entities';

export const BULK_ACTIONS = ['setState', 'setAssignee', 'createTickets'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** The most groups one bulk request acts on. */
export const MAX_BULK_GROUPS = 200;

export class BulkGroupsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_BULK_GROUPS, description: 'The groups to act on, each once.' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_GROUPS) @ArrayUnique({ message: 'fingerprints must not repeat a fingerprint' })
  @IsString({ each: true }) @Length(1, 256, { each: true })
  fingerprints: string[];

  @ApiProperty({ enum: BULK_ACTIONS, description: 'setState and setAssignee change each group as PATCH …/groups/{fingerprint} does; createTickets as POST …/groups/{fingerprint}/ticket without a body.' })
  @IsIn(BULK_ACTIONS, { message: `action must be one of ${BULK_ACTIONS.join(', ')}` })
  action: BulkAction;

  @ApiPropertyOptional({ enum: GROUP_STATES, description: 'Required with setState, refused with the other actions.' })
  @ValidateIf((o: BulkGroupsDto) => o.action === 'setState')
  @IsIn(GROUP_STATES, { message: `state must be one of ${GROUP_STATES.join(', ')}` })
  state?: GroupState;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required with setAssignee (null unassigns), refused with the other actions.' })
  @ValidateIf((o: BulkGroupsDto) => o.action === 'setAssignee' && o.assignee !== null)
  @IsString({ message: 'assignee must be a string, or null to unassign' }) @Length(1, 256)
  assignee?: string | null;
}

export class BulkItemErrorDto {
  @ApiProperty({ description: 'The error code the single-group request would answer, e.g. GROUP_NOT_FOUND.' }) code: string;
  @ApiProperty({ description: 'The HTTP status the single-group request would answer.' }) status: number;
  @ApiProperty() message: string;
}

export class BulkItemResultDto {
  @ApiProperty() fingerprint: string;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ type: BulkItemErrorDto }) error?: BulkItemErrorDto;
}

export class BulkGroupsResponseDto {
  @ApiProperty({ type: [BulkItemResultDto], description: 'One result per fingerprint, in the order sent.' })
  results: BulkItemResultDto[];
}
