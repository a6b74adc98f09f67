/**
 * The rows of an UPDATE or DELETE … RETURNING sent through TypeORM's query(): its postgres driver answers those
 * with [rows, affected count], other statements with the rows alone.
 */
export function returnedRows<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}
