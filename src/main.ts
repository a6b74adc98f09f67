import '@app/common/runtime/v8-settings';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startService } from './bootstrap';
import { announceGeneratedAdminToken } from '@app/config/admin-token-notice';
import { ConfigError, loadConfig } from '@app/config/load-config';
import { usesEmbeddedDatabase } from '@app/config/app-config';
import { createServiceLogger } from '@app/common/logging/service-logger';
import { appVersion } from '@app/common/versions/app-version';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createServiceLogger(config.logLevel);
  const log = new Logger('Main');
  const service = await startService(config, logger);
  announceGeneratedAdminToken(config);
  log.log({
    msg: 'crashbridge started', version: appVersion(), mode: usesEmbeddedDatabase(config) ? 'embedded' : 'production', role: config.role,
    database: usesEmbeddedDatabase(config) ? 'embedded' : 'postgres', queue: config.redisUrl ? 'redis' : 'in-process', url: service.url,
    migrationsApplied: service.migrationsApplied,
  });

  // SIGTERM/SIGINT: stop accepting, finish in-flight requests and jobs, close the database.
  const shutdown = (signal: string) => {
    log.log({ msg: 'shutting down', signal });
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    service.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ msg: 'shutdown failed', error: (err as Error).message });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`crashbridge failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
