import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { RequestIdMiddleware } from './common/http/request-id.middleware';
import { MetricsModule } from './common/metrics/metrics.module';
import { dataSourceOptions } from './database/data-source-options';
import { ActivityModule } from './modules/activity/activity.module';
import { IngestionModule } from './modules/ingestion/ingestion.module';
import { JiraModule } from './modules/jira/jira.module';
import { OperationsModule } from './modules/operations/operations.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { RegressionModule } from './modules/regression/regression.module';
import { SettingsModule } from './modules/settings/settings.module';
import { SyncModule } from './modules/sync/sync.module';
import { TicketsModule } from './modules/tickets/tickets.module';
import { UiModule } from './modules/ui/ui.module';
import { QueueModule } from './queue/queue.module';

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
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, poolSize)),
        QueueModule.forRoot(config),
        ProjectsModule,
        ActivityModule,
        JiraModule,
        SettingsModule,
        TicketsModule,
        SyncModule,
        RegressionModule,
        IngestionModule,
        OperationsModule,
        UiModule,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
