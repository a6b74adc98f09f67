import { Module } from '@nestjs/common';
import { SecretBox } from '@app/common/crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { JiraModule } from '@app/modules/jira/jira.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { DeliverNotificationsJob } from './delivery/deliver-notifications.job';
import { NotificationScheduler } from './delivery/notification-scheduler';
import { NotificationSender } from './delivery/notification-sender';
import { NotificationsController } from './notifications.controller';
import { DeleteNotificationsUseCase } from './use-cases/delete-notifications.use-case';
import { GetNotificationsUseCase } from './use-cases/get-notifications.use-case';
import { ListDeliveriesUseCase } from './use-cases/list-deliveries.use-case';
import { NotificationsOverviewUseCase } from './use-cases/notifications-overview.use-case';
import { PutNotificationsUseCase } from './use-cases/put-notifications.use-case';

/** Outbound notifications: the project's change feed POSTed, signed, to a receiver of its choice. */
@Module({
  imports: [ProjectsModule, JiraModule],
  controllers: [NotificationsController],
  providers: [
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SecretBox(c.encryptionKey, c.previousEncryptionKeys) },
    NotificationSender, DeliverNotificationsJob, NotificationScheduler,
    PutNotificationsUseCase, GetNotificationsUseCase, DeleteNotificationsUseCase, ListDeliveriesUseCase, NotificationsOverviewUseCase,
  ],
  // The settings page of the UI uses the same use cases.
  exports: [PutNotificationsUseCase, DeleteNotificationsUseCase, NotificationsOverviewUseCase],
})
export class NotificationsModule {}
