import { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from '@app/common/errors/database-errors';

/**
 * Runs fn again, a few times after a short random pause, when it fails with a deadlock or
 * a serialization failure: such a failure rolled back everything it did.
 */
export async function retryingConflicts<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isRetryableTransactionError(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}

/**
 * Runs fn in a transaction, retrying deadlocks and serialization failures a few
 * times. Inside fn, use only the given manager: in embedded mode a query on another
 * pooled connection waits for this transaction and deadlocks (docs/decisions/embedded-pglite.md).
 */
export function inTransaction<T>(dataSource: DataSource, fn: (m: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  return retryingConflicts(() => dataSource.transaction(fn), attempts);
}
