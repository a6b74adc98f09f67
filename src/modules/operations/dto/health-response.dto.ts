import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class JiraHealthDto {
  @ApiProperty({ type: [String], description: 'Project keys whose Jira credentials Jira refuses' })
  credentialsFailing: string[];
}

/** GET /health: the service's own flat shape, which probes and dashboards read. */
export class HealthResponseDto {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status: 'ok' | 'degraded';
  @ApiProperty({ enum: ['up', 'down'] })
  database: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down', 'embedded'], description: 'embedded: jobs run in-process (no Redis)' })
  queue: 'up' | 'down' | 'embedded';
  @ApiPropertyOptional({ type: JiraHealthDto, description: "Only while Jira refuses some integration's credentials; does not change the status" })
  jira?: JiraHealthDto;
}
