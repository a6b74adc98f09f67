import { Injectable } from '@nestjs/common';
import { NotificationRepository } from '@app/database/repositories/notification.repository';
import { DeliveriesPageDto } from '@app/modules/notifications/dto/deliveries.dto';
import { eventId } from '@app/modules/notifications/notification-event';

/** Every delivery attempt of the project, newest first, a page at a time. */
@Injectable()
export class ListDeliveriesUseCase {
  constructor(private readonly settings: NotificationRepository) {}

  async execute(projectId: string, projectKey: string, before: number | undefined, limit = 100): Promise<DeliveriesPageDto> {
    const rows = await this.settings.listAttempts(projectId, before === undefined ? null : String(before), limit);
    const items = rows.map((r) => ({
      id: r.id, deliveryId: r.deliveryId, eventId: eventId(projectKey, r.changeId), type: r.type, fingerprint: r.fingerprint,
      outcome: r.outcome, httpStatus: r.httpStatus, error: r.error, at: r.at.toISOString(),
    }));
    return { items, nextBefore: rows.length === limit ? Number(rows[rows.length - 1].id) : null };
  }
}
