import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export class TicketRequestDto {
  /** Link this existing Jira issue instead of creating one. */
  @ApiPropertyOptional({ pattern: '^[A-Za-z][A-Za-z0-9_]*-\\d+$', example: 'CHK-7', description: 'Link this existing Jira issue instead of creating one' })
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]*-\d+$/i, { message: 'key must be a Jira issue key like CHK-7' })
  key?: string;
}
