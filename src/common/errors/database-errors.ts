/** PostgreSQL error helpers shared by the exception filter and transaction retries. */

const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connect ECONNREFUSED',
  'timeout exceeded when trying to connect',
  'Connection terminated unexpectedly',
  'Client has encountered a connection error',
  'ECONNRESET',
  'the database system is',
];

export function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgCode(err);
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  const message = (err as Error)?.message ?? '';
  return UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/** Serialization failures and deadlocks: the whole transaction may simply be retried. */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = pgCode(err);
  return code === '40001' || code === '40P01';
}
