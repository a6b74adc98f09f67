import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsOptionalNotNull } from './validators';

/** Comments both ways between a group and its Jira issue. A partial object is completed from the defaults. */
export class CommentsSettingsDto {
  /** Jira comments on the linked issue appear on the group, and follow edits and deletes (default true). */
  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull() @IsBoolean()
  inbound?: boolean;

  /** A note added here becomes a comment on the linked issue (default true). */
  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull() @IsBoolean()
  outbound?: boolean;
}
