import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from '@app/database/entities';
import { MIGRATIONS } from '@app/database/migrations';

/** A pg client, as pg-pool's onConnect hook receives it. */
interface NewClient {
  query(text: string): Promise<unknown>;
}

/**
 * One definition of the connection for the app, the CLI (ormconfig.ts) and tests. `embedded`: the pool of
 * embedded PGlite, where every connection shares one session, so a new connection first drops the prepared
 * statements a closed one left there (it would fail to prepare them again under the same names; see pg-query.ts).
 */
export function dataSourceOptions(url: string, poolSize: number, { embedded = false } = {}): DataSourceOptions {
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
      ...(embedded ? { onConnect: (client: NewClient) => client.query('DEALLOCATE ALL') } : {}),
    },
  };
}
