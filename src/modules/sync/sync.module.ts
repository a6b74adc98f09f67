import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { JiraModule } from '../jira/jira.module';
import { ProjectsModule } from '../projects/projects.module';
import { SettingsModule } from '../settings/settings.module';
import { TicketsModule } from '../tickets/tickets.module';
import { ApplyJiraChangeService } from './inbound/apply-jira-change.service';
import { JiraWebhookJob } from './inbound/jira-webhook.job';
import { OutboundSyncJob } from './outbound/outbound-sync.job';
import { OutboundSyncService } from './outbound/outbound-sync.service';
import { ResyncController } from './resync/resync.controller';
import { ResyncJob } from './resync/resync.job';
import { ResyncService } from './resync/resync.service';
import { JiraWebhookController } from './webhooks/jira-webhook.controller';
import { ReceiveWebhookUseCase } from './webhooks/receive-webhook.use-case';

/** Two-way sync: Jira webhooks in, transitions/assignments out, and periodic reconciliation. */
@Module({
  imports: [ProjectsModule, ActivityModule, SettingsModule, JiraModule, TicketsModule],
  controllers: [JiraWebhookController, ResyncController],
  providers: [ApplyJiraChangeService, JiraWebhookJob, ReceiveWebhookUseCase, OutboundSyncService, OutboundSyncJob, ResyncService, ResyncJob],
  exports: [OutboundSyncService],
})
export class SyncModule {}
