import { Injectable } from '@nestjs/common';
import { SecretBox, SecretBoxError } from '@app/common/crypto';
import { notFound } from '@app/common/errors/domain-error';
import { NotificationRepository, NotificationSettingsRow } from '@app/database/repositories/notification.repository';
import { NotificationSettingsDto } from '@app/modules/notifications/dto/notification-settings.dto';
import { notificationSecretAad } from '@app/modules/notifications/notification-event';

/** Why the stored secret cannot be read with the configured keys (after ENCRYPTION_KEY changed), or undefined. */
export function secretProblemOf(row: NotificationSettingsRow, box: SecretBox): string | undefined {
  try {
    box.decrypt(row.secretEnc, notificationSecretAad(row.projectId));
    return undefined;
  } catch (err) {
    if (!(err instanceof SecretBoxError)) throw err;
    const cause = err.reason === 'unknown_key' ? 'encrypted under a key this service does not have' : 'cannot be decrypted with the configured keys';
    return `${cause}; save the settings again with the secret, or set ENCRYPTION_KEY_PREVIOUS`;
  }
}

export function toSettingsDto(row: NotificationSettingsRow, box: SecretBox): NotificationSettingsDto {
  const problem = secretProblemOf(row, box);
  return {
    url: row.url,
    events: row.events,
    secretSet: problem === undefined,
    ...(problem === undefined ? {} : { secretProblem: problem }),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The project's notification settings, without the secret. */
@Injectable()
export class GetNotificationsUseCase {
  constructor(
    private readonly settings: NotificationRepository,
    private readonly box: SecretBox,
  ) {}

  async execute(projectId: string): Promise<NotificationSettingsDto> {
    const row = await this.settings.find(projectId);
    if (!row) throw notFound('NOTIFICATIONS_NOT_FOUND', 'the project has no notification settings');
    return toSettingsDto(row, this.box);
  }
}
