import { Module } from '@nestjs/common';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { JiraModule } from '@app/modules/jira/jira.module';
import { JiraSettingsModule } from '@app/modules/jira-settings/jira-settings.module';
import { FieldMetadataService } from '@app/modules/tickets/metadata/field-metadata.service';
import { MilestoneCommentJob } from './milestone-comment.job';
import { UpdateFieldsJob } from './update-fields.job';

/** Issues that stay current (settings.updates): fields written when the group changes, comments at milestone counts. */
@Module({
  imports: [ActivityModule, JiraSettingsModule, JiraModule],
  providers: [FieldMetadataService, UpdateFieldsJob, MilestoneCommentJob],
})
export class IssueUpdatesModule {}
