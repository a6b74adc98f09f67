import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { JiraModule } from '../jira/jira.module';
import { ProjectsModule } from '../projects/projects.module';
import { SettingsModule } from '../settings/settings.module';
import { FieldMetadataService } from './metadata/field-metadata.service';

/** Jira tickets from templates: creation (exactly once), linking, test connection and preview. */
@Module({
  imports: [ProjectsModule, ActivityModule, SettingsModule, JiraModule],
  controllers: [],
  providers: [FieldMetadataService],
  exports: [],
})
export class TicketsModule {}
