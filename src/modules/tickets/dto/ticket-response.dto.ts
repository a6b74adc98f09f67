import { ApiProperty } from '@nestjs/swagger';

/** 202: the issue is being created in the background; the group shows it once done. */
export class TicketPendingDto {
  @ApiProperty({ enum: [true] })
  pending: true;
}

/** A group's Jira issue, as the group shows it. */
export class GroupTicketDto {
  @ApiProperty({ example: 'CHK-7' })
  key: string;
  @ApiProperty({ description: "Jira's issue id" })
  id: string;
  @ApiProperty({ description: 'The issue in Jira (browse URL)' })
  url: string;
  @ApiProperty({ type: String, nullable: true, description: "The issue's Jira status, as last seen" })
  status: string | null;
  @ApiProperty({ type: String, nullable: true, description: "Jira's category of that status (new, indeterminate, done)" })
  statusCategory: string | null;
  /** The route the issue was created through (a name from settings.routes, or 'default'); null when linked by hand. */
  @ApiProperty({ type: String, nullable: true, description: "The route the issue was created through (a name from settings.routes, or 'default'); null when linked by hand" })
  route: string | null;
}
