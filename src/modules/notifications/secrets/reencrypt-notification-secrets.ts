import { SecretBox, SecretBoxError } from '@app/common/crypto';
import { NotificationRepository } from '@app/database/repositories/notification.repository';
import { notificationSecretAad } from '@app/modules/notifications/notification-event';
import type { ReencryptReport } from '@app/modules/jira-settings/secrets/reencrypt-secrets';

/**
 * Rewrites every receiver's secret that is not under the current ENCRYPTION_KEY (`npm run reencrypt`), reading it
 * with the current and previous keys, in one transaction. One under a key this process lacks is left as it is and
 * counted unreadable (its receiver must be saved again with the secret).
 */
export async function reencryptNotificationSecrets(rows: NotificationRepository, box: SecretBox): Promise<ReencryptReport> {
  const report: ReencryptReport = { rewritten: 0, current: 0, unreadable: 0 };
  await rows.rewriteSecrets((projectId, enc) => {
    if (box.isCurrent(enc)) {
      report.current++;
      return null;
    }
    const aad = notificationSecretAad(projectId);
    try {
      const next = box.encrypt(box.decrypt(enc, aad), aad);
      report.rewritten++;
      return next;
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      report.unreadable++;
      return null;
    }
  });
  return report;
}
