import { Module } from '@nestjs/common';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { JiraModule } from '@app/modules/jira/jira.module';
import { JiraSettingsModule } from '@app/modules/jira-settings/jira-settings.module';
import { SyncModule } from '@app/modules/sync/sync.module';
import { RegressionService } from './regression.service';
import { ReopenJiraJob } from './reopen-jira.job';

/** Fix-version "resolved until" and regressions: detection at ingestion, reopening in Jira. */
@Module({
  imports: [ActivityModule, JiraSettingsModule, JiraModule, SyncModule],
  providers: [RegressionService, ReopenJiraJob],
  exports: [RegressionService],
})
export class RegressionModule {}
