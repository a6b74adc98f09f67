import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { JiraModule } from '../jira/jira.module';
import { SettingsModule } from '../settings/settings.module';
import { RegressionService } from './regression.service';
import { ReopenJiraJob } from './reopen-jira.job';

/** Fix-version "resolved until" and regressions: detection at ingestion, reopening in Jira. */
@Module({
  imports: [ActivityModule, SettingsModule, JiraModule],
  providers: [RegressionService, ReopenJiraJob],
  exports: [RegressionService],
})
export class RegressionModule {}
