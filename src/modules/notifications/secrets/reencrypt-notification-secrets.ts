import { emptyReencryptReport, ReencryptReport, SecretBox, secretRenewal } from '@app/common/crypto';
import { NotificationRepository } from '@app/database/repositories/notification.repository';
import { notificationSecretAad } from '@app/modules/notifications/notification-event';

/**
 * Rewrites every receiver's secret that is not under the current ENCRYPTION_KEY (`npm run reencrypt`), reading it
 * with the current and previous keys, in one transaction. One under a key this process lacks is left as it is and
 * counted unreadable (its receiver must be saved again with the secret).
 */
export async function reencryptNotificationSecrets(rows: NotificationRepository, box: SecretBox): Promise<ReencryptReport> {
  const report = emptyReencryptReport();
  const renew = secretRenewal(box, report);
  await rows.rewriteSecrets((projectId, enc) => {
    const next = renew(enc, notificationSecretAad(projectId));
    return next === enc ? null : next;
  });
  return report;
}
