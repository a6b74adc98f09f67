import { Module } from '@nestjs/common';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { CommentsModule } from '@app/modules/comments/comments.module';
import { FailuresModule } from '@app/modules/failures/failures.module';
import { IngestionModule } from '@app/modules/ingestion/ingestion.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { JiraSettingsModule } from '@app/modules/jira-settings/jira-settings.module';
import { NotificationsModule } from '@app/modules/notifications/notifications.module';
import { TicketsModule } from '@app/modules/tickets/tickets.module';
import { ActivityPagesController } from '@app/modules/ui/pages/activity-pages.controller';
import { BackfillPagesController } from '@app/modules/ui/pages/backfill-pages.controller';
import { FailuresPagesController } from '@app/modules/ui/pages/failures-pages.controller';
import { GroupPageController } from '@app/modules/ui/pages/group-page.controller';
import { GroupsPagesController } from '@app/modules/ui/pages/groups-pages.controller';
import { JiraPagesController } from '@app/modules/ui/pages/jira-pages.controller';
import { NotificationsPagesController } from '@app/modules/ui/pages/notifications-pages.controller';
import { ProjectsPagesController } from '@app/modules/ui/pages/projects-pages.controller';
import { SignInController } from '@app/modules/ui/pages/sign-in.controller';
import { StatusPagesController } from '@app/modules/ui/pages/status-pages.controller';
import { SignInLimiter } from '@app/modules/ui/session/sign-in-limiter';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiSessionService } from '@app/modules/ui/session/ui-session.service';
import { ProjectStatusService } from '@app/modules/ui/status/project-status.service';

/**
 * The settings UI at /ui: server-rendered pages over the same use cases as the
 * API. It sits on top of the feature modules; nothing depends on it.
 */
@Module({
  imports: [ProjectsModule, ActivityModule, JiraSettingsModule, TicketsModule, IngestionModule, FailuresModule, CommentsModule, NotificationsModule],
  controllers: [
    SignInController, ProjectsPagesController, JiraPagesController, FailuresPagesController, GroupsPagesController, GroupPageController,
    ActivityPagesController, StatusPagesController, BackfillPagesController, NotificationsPagesController,
  ],
  providers: [UiSessionService, UiSessionGuard, SignInLimiter, ProjectStatusService],
})
export class UiModule {}
