import { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from '../common/errors/database-errors';

/**
 * Runs fn in a transaction, retrying deadlocks and serialization failures a few
 * times. Inside fn, use only the given manager: in embedded mode a query on another
 * pooled connection waits for this transaction and deadlocks (FACTS.md).
 */
export async function inTransaction<T>(dataSource: DataSource, fn: (m: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(fn);
    } catch (err) {
      if (attempt >= attempts || !isRetryableTransactionError(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}
