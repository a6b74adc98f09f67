import { ActivityEntity } from './activity.entity';
import { ErrorGroupEntity } from './error-group.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { JiraIntegrationEntity } from './jira-integration.entity';
import { JiraIssueEntity } from './jira-issue.entity';
import { OutboxEntity } from './outbox.entity';
import { ProjectEntity } from './project.entity';

export * from './activity.entity';
export * from './error-group.entity';
export * from './idempotency-key.entity';
export * from './jira-integration.entity';
export * from './jira-issue.entity';
export * from './outbox.entity';
export * from './project.entity';

export const ENTITIES = [ProjectEntity, ErrorGroupEntity, OutboxEntity, ActivityEntity, IdempotencyKeyEntity, JiraIntegrationEntity, JiraIssueEntity];
