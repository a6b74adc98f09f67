import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database/data-source-options';
import { EMBEDDED_POOL_SIZE, EmbeddedPostgres } from '@app/database/embedded-postgres';
import { createMigratedTestDatabase } from './databases';
import { seedEmbeddedDataDir } from './embedded-template';
import { migrate } from './migrate';
import { testMode } from './test-env';

export interface RepositoryDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A migrated database in the suite's mode, without the service: repositories are tested
 * alone, with no relay or worker touching their rows.
 */
export async function openRepositoryDatabase(): Promise<RepositoryDatabase> {
  if (testMode() === 'postgres') {
    const url = await createMigratedTestDatabase();
    const dataSource = await new DataSource(dataSourceOptions(url, 4)).initialize();
    return { dataSource, close: () => dataSource.destroy() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'crashbridge-repo-'));
  await seedEmbeddedDataDir(dir);
  const embedded = await EmbeddedPostgres.start(dir);
  await migrate(embedded.url); // nothing left to do on a copy of the run's template
  const dataSource = await new DataSource(dataSourceOptions(embedded.url, EMBEDDED_POOL_SIZE, { embedded: true })).initialize();
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
