import { emptyReencryptReport, ReencryptReport, SecretBox, secretRenewal } from '@app/common/crypto';
import { JiraIntegrationRepository, StoredSecrets } from '@app/database/repositories/jira-integration.repository';
import { tokenAad, webhookAad } from '@app/modules/jira-settings/jira-integration.service';

/**
 * Rewrites every stored secret that is not under the current ENCRYPTION_KEY (`npm run
 * reencrypt`), decrypting it with the current and previous keys, in one transaction.
 * Afterwards ENCRYPTION_KEY_PREVIOUS can be dropped, unless `unreadable` is above zero.
 */
export async function reencryptSecrets(rows: JiraIntegrationRepository, box: SecretBox): Promise<ReencryptReport> {
  const report = emptyReencryptReport();
  const renew = secretRenewal(box, report);
  await rows.rewriteSecrets((row): StoredSecrets | null => {
    const next = {
      projectId: row.projectId,
      authSecretEnc: renew(row.authSecretEnc, tokenAad(row.projectId)),
      webhookSecretEnc: renew(row.webhookSecretEnc, webhookAad(row.projectId)),
    };
    return next.authSecretEnc === row.authSecretEnc && next.webhookSecretEnc === row.webhookSecretEnc ? null : next;
  });
  return report;
}
