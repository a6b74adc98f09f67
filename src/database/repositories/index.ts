import { Provider } from '@nestjs/common';
import { ActivityRepository } from './activity.repository';
import { GroupCommentRepository } from './group-comment.repository';
import { GroupChangeRepository } from './group-change.repository';
import { GroupHourlyCountRepository } from './group-hourly-count.repository';
import { GroupOccurrenceRepository } from './group-occurrence.repository';
import { GroupQueryRepository } from './group-queries.repository';
import { GroupRepository } from './group.repository';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IssueUpdateRepository } from './issue-update.repository';
import { JiraIntegrationRepository } from './jira-integration.repository';
import { JiraIssueRepository } from './jira-issue.repository';
import { JiraRunRepository } from './jira-run.repository';
import { JiraWebhookRepository } from './jira-webhook.repository';
import { NotificationRepository } from './notification.repository';
import { OutboxRepository } from './outbox.repository';
import { ProjectRepository } from './project.repository';
import { RetentionRepository } from './retention.repository';
import { SignInFailureRepository } from './sign-in-failure.repository';
import { StatusRepository } from './status.repository';
import { TicketAttemptRepository } from './ticket-attempt.repository';
import { UiSessionRepository } from './ui-session.repository';
import { WebhookEventRepository } from './webhook-event.repository';
import { WebhookRejectionRepository } from './webhook-rejection.repository';

/**
 * Every table's repository. A repository is the only place that writes SQL for its
 * table; its methods are named for what they do, and take the caller's
 * EntityManager when they must run inside the caller's transaction.
 */
export const REPOSITORIES: Provider[] = [
  ActivityRepository,
  GroupRepository,
  GroupQueryRepository,
  GroupOccurrenceRepository,
  GroupHourlyCountRepository,
  GroupCommentRepository,
  GroupChangeRepository,
  IdempotencyKeyRepository,
  IssueUpdateRepository,
  JiraIntegrationRepository,
  JiraIssueRepository,
  JiraRunRepository,
  JiraWebhookRepository,
  NotificationRepository,
  OutboxRepository,
  ProjectRepository,
  RetentionRepository,
  SignInFailureRepository,
  StatusRepository,
  TicketAttemptRepository,
  UiSessionRepository,
  WebhookEventRepository,
  WebhookRejectionRepository,
];
