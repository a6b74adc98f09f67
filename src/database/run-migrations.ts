import { DataSource } from 'typeorm';

/** Any fixed number; every crashbridge process that migrates takes this lock. */
const MIGRATION_LOCK_ID = 727_274_001;

/**
 * Runs pending migrations under a session advisory lock on one dedicated
 * connection, so several processes starting together migrate once, in turn.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
