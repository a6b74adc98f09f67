import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from '@app/database/entities';
import { MIGRATIONS } from '@app/database/migrations';

/** One definition of the connection for the app, the CLI (ormconfig.ts) and tests. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize,
    extra: {
      // Fail fast instead of hanging when the database is unreachable, so the API
      // can answer 503 (see /health and the database-unavailable filter).
      connectionTimeoutMillis: 5_000,
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}
