import { ApiProperty } from '@nestjs/swagger';

export const CHECK_NAMES = ['auth', 'project', 'issueType', 'requiredFields', 'fields'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export class ConnectionCheckDto {
  @ApiProperty({ enum: CHECK_NAMES })
  name: CheckName;

  @ApiProperty()
  ok: boolean;

  @ApiProperty({ example: 'Authenticated as Bot (bot@acme.com) on Jira Cloud' })
  detail: string;
}

export class ConnectionTestResultDto {
  /** True when every check passed. */
  @ApiProperty()
  ok: boolean;

  @ApiProperty({ type: [ConnectionCheckDto] })
  checks: ConnectionCheckDto[];
}
