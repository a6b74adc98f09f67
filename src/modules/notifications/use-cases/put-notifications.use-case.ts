import { Injectable } from '@nestjs/common';
import { SecretBox } from '@app/common/crypto';
import { badRequest } from '@app/common/errors/domain-error';
import { NotificationRepository } from '@app/database/repositories/notification.repository';
import { EgressGuard } from '@app/modules/jira/client';
import { OutboxService } from '@app/queue/outbox.service';
import { NotificationSettingsDto, PutNotificationsDto } from '@app/modules/notifications/dto/notification-settings.dto';
import { notificationSecretAad } from '@app/modules/notifications/notification-event';
import { secretProblemOf, toSettingsDto } from './get-notifications.use-case';

/** Saves where the project's changes are POSTed; the url passes the same egress rules as the Jira apiUrl. */
@Injectable()
export class PutNotificationsUseCase {
  constructor(
    private readonly settings: NotificationRepository,
    private readonly box: SecretBox,
    private readonly egress: EgressGuard,
    private readonly outbox: OutboxService,
  ) {}

  async execute(projectId: string, dto: PutNotificationsDto): Promise<NotificationSettingsDto> {
    const refusal = this.egress.refusalFor(dto.url);
    if (refusal) throw badRequest('NOTIFICATION_URL_REFUSED', `url is refused: ${refusal}`, 'url');
    const stored = await this.settings.find(projectId);
    if (dto.secret === undefined && !stored) throw badRequest('NOTIFICATION_SECRET_REQUIRED', 'secret is required for new notification settings', 'secret');
    // Keeping a secret no configured key can read would keep the deliveries failing.
    if (dto.secret === undefined && secretProblemOf(stored!, this.box)) {
      throw badRequest('NOTIFICATION_SECRET_REQUIRED', 'secret is required: the stored one cannot be read with the configured keys', 'secret');
    }
    const secretEnc = dto.secret === undefined ? stored!.secretEnc : this.box.encrypt(dto.secret, notificationSecretAad(projectId));
    await this.settings.save(projectId, dto.url, secretEnc, dto.events);
    // A receiver that was waiting out a backoff hears at the next scheduler tick; nothing to queue here.
    this.outbox.kick();
    return toSettingsDto((await this.settings.find(projectId))!, this.box);
  }
}
