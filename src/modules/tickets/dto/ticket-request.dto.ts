import { IsOptional, IsString, Matches } from 'class-validator';

export class TicketRequestDto {
  /** Link this existing Jira issue instead of creating one. */
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]*-\d+$/i, { message: 'key must be a Jira issue key like CHK-7' })
  key?: string;
}
