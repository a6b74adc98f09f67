import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class FailureGroupDto {
  @ApiProperty() fingerprint: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
}

class FailureIssueDto {
  @ApiProperty() key: string;
}

/** One piece of failed work: what it was, about which group and issue, what Jira answered. */
export class FailureResponseDto {
  @ApiProperty({ description: 'The outbox job id; retry it with POST …/failures/{id}/retry' }) id: string;
  @ApiProperty({ example: 'ticket.create' }) kind: string;
  @ApiProperty({ enum: ['create', 'sync', 'regression', 'resync', 'webhook'], description: 'What the job did' }) what: string;
  @ApiProperty() description: string;
  @ApiPropertyOptional({ type: FailureGroupDto, nullable: true }) group: FailureGroupDto | null;
  @ApiPropertyOptional({ type: FailureIssueDto, nullable: true }) issue: FailureIssueDto | null;
  @ApiProperty({ nullable: true, type: String, description: "Jira's answer or the job's own reason, secrets masked" }) error: string | null;
  @ApiProperty({ description: 'Runs spent before it failed' }) attempts: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) failedAt: string | null;
}

class SkippedRetryDto {
  @ApiProperty() id: string;
  @ApiProperty() reason: string;
}

export class RetryFailuresResponseDto {
  @ApiProperty({ type: [String], description: 'Jobs queued again, from their first attempt' }) retried: string[];
  @ApiProperty({ type: [SkippedRetryDto], description: 'Failed jobs left as they are (the same work is already queued)' }) skipped: SkippedRetryDto[];
}
