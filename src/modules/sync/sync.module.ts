import { Module } from '@nestjs/common';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { JiraModule } from '@app/modules/jira/jira.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { JiraSettingsModule } from '@app/modules/jira-settings/jira-settings.module';
import { TicketsModule } from '@app/modules/tickets/tickets.module';
import { ApplyJiraChangeService } from '@app/modules/sync/inbound/apply-jira-change.service';
import { ApplyJiraCommentsService } from '@app/modules/sync/inbound/apply-jira-comments.service';
import { JiraWebhookJob } from '@app/modules/sync/inbound/jira-webhook.job';
import { OutboundSyncJob } from '@app/modules/sync/outbound/outbound-sync.job';
import { OutboundSyncService } from '@app/modules/sync/outbound/outbound-sync.service';
import { ResyncController } from '@app/modules/sync/resync/resync.controller';
import { ResyncJob } from '@app/modules/sync/resync/resync.job';
import { ResyncScheduler } from '@app/modules/sync/resync/resync.scheduler';
import { ResyncService } from '@app/modules/sync/resync/resync.service';
import { RunResyncUseCase } from '@app/modules/sync/resync/run-resync.use-case';
import { JiraWebhookController } from '@app/modules/sync/webhooks/jira-webhook.controller';
import { ReceiveWebhookUseCase } from '@app/modules/sync/webhooks/receive-webhook.use-case';
import { TransitionWalker } from '@app/modules/sync/workflow/transition-walker';

/** Two-way sync: Jira webhooks in, transitions/assignments out, and periodic reconciliation. */
@Module({
  imports: [ProjectsModule, ActivityModule, JiraSettingsModule, JiraModule, TicketsModule],
  controllers: [JiraWebhookController, ResyncController],
  providers: [ApplyJiraChangeService, ApplyJiraCommentsService, JiraWebhookJob, ReceiveWebhookUseCase, OutboundSyncService, OutboundSyncJob, ResyncService, ResyncJob, ResyncScheduler, RunResyncUseCase, TransitionWalker],
  exports: [OutboundSyncService, TransitionWalker],
})
export class SyncModule {}
