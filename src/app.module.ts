import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, usesEmbeddedDatabase } from '@app/config/app-config';
import { ConfigModule } from '@app/config/config.module';
import { RequestIdMiddleware } from '@app/common/http/request-id.middleware';
import { MetricsModule } from '@app/common/metrics/metrics.module';
import { DatabaseModule } from '@app/database/database.module';
import { dataSourceOptions } from '@app/database/data-source-options';
import { CommentsModule } from '@app/modules/comments/comments.module';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { ChangesModule } from '@app/modules/changes/changes.module';
import { NotificationsModule } from '@app/modules/notifications/notifications.module';
import { FailuresModule } from '@app/modules/failures/failures.module';
import { IngestionModule } from '@app/modules/ingestion/ingestion.module';
import { IssueUpdatesModule } from '@app/modules/issue-updates/issue-updates.module';
import { JiraModule } from '@app/modules/jira/jira.module';
import { OperationsModule } from '@app/modules/operations/operations.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { RegressionModule } from '@app/modules/regression/regression.module';
import { RetentionModule } from '@app/modules/retention/retention.module';
import { JiraSettingsModule } from '@app/modules/jira-settings/jira-settings.module';
import { SyncModule } from '@app/modules/sync/sync.module';
import { TicketsModule } from '@app/modules/tickets/tickets.module';
import { UiModule } from '@app/modules/ui/ui.module';
import { QueueModule } from '@app/queue/queue.module';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  poolSize: number;
}

@Module({})
export class AppModule implements NestModule {
  static forRoot({ config, databaseUrl, poolSize }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, poolSize, { embedded: usesEmbeddedDatabase(config) })),
        DatabaseModule,
        QueueModule.forRoot(config),
        ProjectsModule,
        ActivityModule,
        JiraModule,
        JiraSettingsModule,
        TicketsModule,
        SyncModule,
        RegressionModule,
        CommentsModule,
        IssueUpdatesModule,
        IngestionModule,
        OperationsModule,
        FailuresModule,
        UiModule,
        RetentionModule,
        ChangesModule,
        NotificationsModule,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
