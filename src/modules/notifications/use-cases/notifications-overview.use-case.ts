import { Injectable } from '@nestjs/common';
import { SecretBox } from '@app/common/crypto';
import { BACKLOG_COUNT_LIMIT, NotificationBacklog, NotificationRepository } from '@app/database/repositories/notification.repository';
import { DeliveryAttemptDto } from '@app/modules/notifications/dto/deliveries.dto';
import { NotificationSettingsDto } from '@app/modules/notifications/dto/notification-settings.dto';
import { toSettingsDto } from './get-notifications.use-case';
import { ListDeliveriesUseCase } from './list-deliveries.use-case';

/** What the settings page shows: the settings (none yet: null), the backlog and the latest attempts. */
export interface NotificationsOverview {
  settings: NotificationSettingsDto | null;
  backlog: NotificationBacklog & { pendingCapped: boolean };
  attempts: DeliveryAttemptDto[];
}

/** The project's notifications at a glance, for the UI. */
@Injectable()
export class NotificationsOverviewUseCase {
  constructor(
    private readonly settings: NotificationRepository,
    private readonly deliveries: ListDeliveriesUseCase,
    private readonly box: SecretBox,
  ) {}

  async execute(projectId: string, projectKey: string, attempts = 50): Promise<NotificationsOverview> {
    const row = await this.settings.find(projectId);
    const backlog = await this.settings.backlog(projectId);
    const page = await this.deliveries.execute(projectId, projectKey, undefined, attempts);
    return {
      settings: row ? toSettingsDto(row, this.box) : null,
      backlog: { ...backlog, pending: Math.min(backlog.pending, BACKLOG_COUNT_LIMIT), pendingCapped: backlog.pending > BACKLOG_COUNT_LIMIT },
      attempts: page.items,
    };
  }
}
