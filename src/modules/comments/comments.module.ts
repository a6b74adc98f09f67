import { Module } from '@nestjs/common';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { JiraModule } from '@app/modules/jira/jira.module';
import { JiraSettingsModule } from '@app/modules/jira-settings/jira-settings.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { CommentsController } from './comments.controller';
import { PostNoteJob } from './post-note.job';
import { AddNoteUseCase } from './use-cases/add-note.use-case';
import { ListCommentsUseCase } from './use-cases/list-comments.use-case';

/** A group's comments: Jira's (applied by the inbound sync) and notes added here, posted to Jira once. */
@Module({
  imports: [ProjectsModule, ActivityModule, JiraSettingsModule, JiraModule],
  controllers: [CommentsController],
  providers: [ListCommentsUseCase, AddNoteUseCase, PostNoteJob],
  exports: [ListCommentsUseCase, AddNoteUseCase],
})
export class CommentsModule {}
