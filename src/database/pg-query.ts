import { EntityManager } from 'typeorm';

interface PgQueryable {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A hot-path statement (ingestion, webhook intake); `name` makes it a prepared statement where that is safe. */
export interface Statement {
  name?: string;
  text: string;
}

/**
 * Runs a statement straight on node-postgres: on the transaction's connection when
 * `m` is a transaction's manager (never another one inside it: docs/decisions/embedded-pglite.md), else on
 * the pool. Unlike EntityManager.query it can use a named (prepared) statement,
 * which PostgreSQL parses and plans once per connection instead of on every
 * request, and it returns the rows for every kind of statement.
 */
export async function pgQuery<T>(m: EntityManager, statement: Statement, values: unknown[]): Promise<T[]> {
  const runner = m.queryRunner as unknown as { databaseConnection?: PgQueryable } | undefined;
  const target = runner?.databaseConnection ?? (m.connection.driver as unknown as { master: PgQueryable }).master;
  const result = await target.query({ name: statement.name, text: statement.text, values });
  return result.rows as T[];
}

/**
 * Named statements only against a PostgreSQL server. Embedded PGlite is one
 * session under every pooled connection: a statement prepared by a connection
 * that was closed would still exist there, and the next connection preparing it
 * again would fail.
 */
export const statement = (name: string, text: string, prepared: boolean): Statement => (prepared ? { name, text } : { text });
