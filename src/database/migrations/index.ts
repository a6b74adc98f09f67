import { InitialSchema1764100000000 } from './1764100000000-initial-schema';
import { JiraIntegration1764200000000 } from './1764200000000-jira-integration';
import { TwoWaySync1764300000000 } from './1764300000000-two-way-sync';
import { WebhookEvents1764400000000 } from './1764400000000-webhook-events';
import { UiSessions1764500000000 } from './1764500000000-ui-sessions';
import { SignInFailures1764600000000 } from './1764600000000-sign-in-failures';
import { WebhookBodyDedupe1764700000000 } from './1764700000000-webhook-body-dedupe';
import { WebhookRejections1764700100000 } from './1764700100000-webhook-rejections';
import { JiraCredentialsHealth1764820000000 } from './1764820000000-jira-credentials-health';
import { JiraWebhooks1764830000000 } from './1764830000000-jira-webhooks';
import { GroupOccurrences1764840000000 } from './1764840000000-group-occurrences';
import { TicketRoute1764850000000 } from './1764850000000-ticket-route';
import { Retention1764860000000 } from './1764860000000-retention';
import { GroupListIndexes1764870000000 } from './1764870000000-group-list-indexes';
import { GroupHourlyCounts1764880000000 } from './1764880000000-group-hourly-counts';
import { ChangeFeed1764890000000 } from './1764890000000-change-feed';
import { Notifications1764890100000 } from './1764890100000-notifications';
import { GroupComments1764900000000 } from './1764900000000-group-comments';
import { IssueUpdates1764910000000 } from './1764910000000-issue-updates';
import { JiraRuns1764920000000 } from './1764920000000-jira-runs';
import { CommentChanges1764930000000 } from './1764930000000-comment-changes';
import { BatchIngest1764940000000 } from './1764940000000-batch-ingest';
import { TicketCreateClaim1764950000000 } from './1764950000000-ticket-create-claim';
import { OutboxWokenWhileRunning1764960000000 } from './1764960000000-outbox-woken-while-running';
import { LighterWebhookWrites1764970000000 } from './1764970000000-lighter-webhook-writes';
import { CheaperStateChanges1764980000000 } from './1764980000000-cheaper-state-changes';

/** Listed explicitly (not globbed) so the same list works from src/ under ts and from dist/. */
export const MIGRATIONS = [
  InitialSchema1764100000000, JiraIntegration1764200000000, TwoWaySync1764300000000, WebhookEvents1764400000000, UiSessions1764500000000,
  SignInFailures1764600000000, WebhookBodyDedupe1764700000000, WebhookRejections1764700100000,
  JiraCredentialsHealth1764820000000,
  JiraWebhooks1764830000000,
  GroupOccurrences1764840000000,
  TicketRoute1764850000000,
  Retention1764860000000,
  GroupListIndexes1764870000000,
  GroupHourlyCounts1764880000000,
  ChangeFeed1764890000000,
  Notifications1764890100000,
  GroupComments1764900000000,
  IssueUpdates1764910000000,
  JiraRuns1764920000000,
  CommentChanges1764930000000,
  BatchIngest1764940000000,
  TicketCreateClaim1764950000000,
  OutboxWokenWhileRunning1764960000000,
  LighterWebhookWrites1764970000000,
  CheaperStateChanges1764980000000,
];
