import { Injectable } from '@nestjs/common';
import { notFound } from '@app/common/errors/domain-error';
import { NotificationRepository } from '@app/database/repositories/notification.repository';

/** Stops notifications; the attempts stay listed until retention prunes them. */
@Injectable()
export class DeleteNotificationsUseCase {
  constructor(private readonly settings: NotificationRepository) {}

  async execute(projectId: string): Promise<void> {
    if (!(await this.settings.remove(projectId))) throw notFound('NOTIFICATIONS_NOT_FOUND', 'the project has no notification settings');
  }
}
