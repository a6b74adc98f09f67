import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database/data-source-options';
import { EMBEDDED_POOL_SIZE, EmbeddedPostgres } from '@app/database/embedded-postgres';
import { runMigrationsLocked } from '@app/database/run-migrations';
import { createTestDatabase } from './databases';
import { testMode } from './test-env';

export interface RepositoryDatabase {
  dataSource: DataSource;
  /** PostgreSQL server (named statements allowed) rather than embedded PGlite. */
  server: boolean;
  close(): Promise<void>;
}

/** Migrates as the service does at start-up: on a pool of its own, of two connections (the lock holds one). */
async function migrate(url: string): Promise<void> {
  const ds = await new DataSource(dataSourceOptions(url, 2)).initialize();
  try {
    await runMigrationsLocked(ds);
  } finally {
    await ds.destroy();
  }
}

/**
 * A migrated database in the suite's mode, without the service: repositories are tested
 * alone, with no relay or worker touching their rows.
 */
export async function openRepositoryDatabase(): Promise<RepositoryDatabase> {
  if (testMode() === 'postgres') {
    const url = await createTestDatabase();
    await migrate(url);
    const dataSource = await new DataSource(dataSourceOptions(url, 4)).initialize();
    return { dataSource, server: true, close: () => dataSource.destroy() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'crashbridge-repo-'));
  const embedded = await EmbeddedPostgres.start(dir);
  await migrate(embedded.url);
  const dataSource = await new DataSource(dataSourceOptions(embedded.url, EMBEDDED_POOL_SIZE)).initialize();
  return {
    dataSource,
    server: false,
    async close() {
      await dataSource.destroy();
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
