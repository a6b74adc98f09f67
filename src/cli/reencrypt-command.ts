import { DataSource } from 'typeorm';
import { ReencryptReport, SecretBox } from '@app/common/crypto';
import { AppConfig, usesEmbeddedDatabase } from '@app/config/app-config';
import { dataSourceOptions } from '@app/database/data-source-options';
import { EmbeddedPostgres } from '@app/database/embedded-postgres';
import { runMigrationsLocked } from '@app/database/run-migrations';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { NotificationRepository } from '@app/database/repositories/notification.repository';
import { reencryptSecrets } from '@app/modules/jira-settings/secrets/reencrypt-secrets';
import { reencryptNotificationSecrets } from '@app/modules/notifications/secrets/reencrypt-notification-secrets';

/**
 * `npm run reencrypt`: rewrites every stored secret (Jira token and webhook secret, notification secret) under
 * ENCRYPTION_KEY, reading them with ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS. Same environment as the service. Without
 * DATABASE_URL it opens the embedded database, which only one process may hold: stop the
 * service first. With DATABASE_URL it may run beside the service. Counts only are returned.
 */
export async function reencrypt(config: AppConfig): Promise<ReencryptReport> {
  const embedded = usesEmbeddedDatabase(config) ? await EmbeddedPostgres.start(config.dataDir) : undefined;
  const ds = new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url, 2));
  try {
    await ds.initialize();
    await runMigrationsLocked(ds); // as the service starts: the schema this version reads
    const box = new SecretBox(config.encryptionKey, config.previousEncryptionKeys);
    const jira = await reencryptSecrets(new JiraIntegrationRepository(ds), box);
    const notifications = await reencryptNotificationSecrets(new NotificationRepository(ds), box);
    return {
      rewritten: jira.rewritten + notifications.rewritten,
      current: jira.current + notifications.current,
      unreadable: jira.unreadable + notifications.unreadable,
    };
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await embedded?.stop();
  }
}
