import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database/data-source-options';
import { runMigrationsLocked } from '@app/database/run-migrations';

/** Migrates as the service does at start-up: on a pool of its own, of two connections (the lock holds one). */
export async function migrate(url: string): Promise<void> {
  const ds = await new DataSource(dataSourceOptions(url, 2)).initialize();
  try {
    await runMigrationsLocked(ds);
  } finally {
    await ds.destroy();
  }
}
