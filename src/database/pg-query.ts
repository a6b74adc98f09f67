import { EntityManager } from 'typeorm';

/** The node-postgres client (a pg PoolClient) a TypeORM QueryRunner holds once connected. */
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A hot-path statement (ingestion, webhook intake); `name` makes it a prepared statement where that is safe. */
export interface Statement {
  name?: string;
  text: string;
}

/**
 * Runs a statement straight on node-postgres, through the connection a TypeORM
 * QueryRunner hands out (QueryRunner.connect() resolves to it): the transaction's
 * connection when `m` is a transaction's manager (never another one inside it: in
 * embedded mode that would wait for this transaction forever), else a connection
 * taken from the pool for this statement. Unlike EntityManager.query it can use a
 * named (prepared) statement, which PostgreSQL parses and plans once per connection
 * instead of on every request, and it returns the rows for every kind of statement.
 */
export async function pgQuery<T>(m: EntityManager, statement: Statement, values: unknown[]): Promise<T[]> {
  const config = { name: statement.name, text: statement.text, values };
  const own = m.queryRunner;
  if (own && !own.isReleased) {
    const client: PgClient = await own.connect();
    return (await client.query(config)).rows as T[];
  }
  const runner = m.connection.createQueryRunner('master');
  try {
    const client: PgClient = await runner.connect();
    return (await client.query(config)).rows as T[];
  } finally {
    await runner.release();
  }
}

/**
 * A named (prepared) statement. Embedded PGlite is one session under every pooled connection, so a
 * statement prepared by a connection that was closed is still there; the embedded pool's connections
 * drop those first (data-source-options.ts), or preparing the statement again would fail. Embedded
 * mode gains the most: PGlite runs PostgreSQL as WebAssembly, where parsing and planning the ingest
 * upsert on every request cost about a third of its time (npm run bench, single-embedded).
 */
export const statement = (name: string, text: string): Statement => ({ name, text });
