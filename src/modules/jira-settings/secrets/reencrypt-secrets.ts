import { SecretBox, SecretBoxError } from '@app/common/crypto';
import { JiraIntegrationRepository, StoredSecrets } from '@app/database/repositories/jira-integration.repository';
import { tokenAad, webhookAad } from '@app/modules/jira-settings/jira-integration.service';

/** Counts of secrets, never the secrets. */
export interface ReencryptReport {
  /** Rewritten under the current key (they were under a previous one). */
  rewritten: number;
  /** Already under the current key. */
  current: number;
  /** Under a key this process was not given, or damaged: left as they are. */
  unreadable: number;
}

/**
 * Rewrites every stored secret that is not under the current ENCRYPTION_KEY (`npm run
 * reencrypt`), decrypting it with the current and previous keys, in one transaction.
 * Afterwards ENCRYPTION_KEY_PREVIOUS can be dropped, unless `unreadable` is above zero.
 */
export async function reencryptSecrets(rows: JiraIntegrationRepository, box: SecretBox): Promise<ReencryptReport> {
  const report: ReencryptReport = { rewritten: 0, current: 0, unreadable: 0 };
  const renew = (enc: string, aad: string): string => {
    if (box.isCurrent(enc)) {
      report.current++;
      return enc;
    }
    try {
      const plain = box.decrypt(enc, aad);
      report.rewritten++;
      return box.encrypt(plain, aad);
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      report.unreadable++;
      return enc;
    }
  };
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
