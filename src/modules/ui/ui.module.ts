import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { ProjectsModule } from '../projects/projects.module';
import { SettingsModule } from '../settings/settings.module';
import { TicketsModule } from '../tickets/tickets.module';
import { ActivityPagesController } from './pages/activity-pages.controller';
import { GroupsPagesController } from './pages/groups-pages.controller';
import { JiraPagesController } from './pages/jira-pages.controller';
import { ProjectsPagesController } from './pages/projects-pages.controller';
import { SignInController } from './pages/sign-in.controller';
import { SignInLimiter } from './session/sign-in-limiter';
import { UiSessionGuard } from './session/ui-session.guard';
import { UiSessionService } from './session/ui-session.service';

/**
 * The settings UI at /ui: server-rendered pages over the same use cases as the
 * API. It sits on top of the feature modules; nothing depends on it.
 */
@Module({
  imports: [ProjectsModule, ActivityModule, SettingsModule, TicketsModule, IngestionModule],
  controllers: [SignInController, ProjectsPagesController, JiraPagesController, GroupsPagesController, ActivityPagesController],
  providers: [UiSessionService, UiSessionGuard, SignInLimiter],
})
export class UiModule {}
