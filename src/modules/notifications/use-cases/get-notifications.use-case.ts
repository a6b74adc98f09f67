import { Injectable } from '@nestjs/common';
import { notFound } from '@app/common/errors/domain-error';
import { NotificationRepository, NotificationSettingsRow } from '@app/database/repositories/notification.repository';
import { NotificationSettingsDto } from '@app/modules/notifications/dto/notification-settings.dto';

export const toSettingsDto = (row: NotificationSettingsRow): NotificationSettingsDto => ({
  url: row.url,
  events: row.events,
  secretSet: row.secretEnc.length > 0,
  updatedAt: new Date(row.updatedAt).toISOString(),
});

/** The project's notification settings, without the secret. */
@Injectable()
export class GetNotificationsUseCase {
  constructor(private readonly settings: NotificationRepository) {}

  async execute(projectId: string): Promise<NotificationSettingsDto> {
    const row = await this.settings.find(projectId);
    if (!row) throw notFound('NOTIFICATIONS_NOT_FOUND', 'the project has no notification settings');
    return toSettingsDto(row);
  }
}
