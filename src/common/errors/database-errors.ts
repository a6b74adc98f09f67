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

/**
 * PostgreSQL refused the values themselves (SQLSTATE class 22, data exception, or 23,
 * integrity constraint): the same statement with the same values fails again, so retrying
 * cannot help.
 */
export function isRefusedData(err: unknown): boolean {
  const code = pgCode(err);
  return !!code && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * Why PostgreSQL refused a string that can only have come from the request (a client error,
 * not a server one), or null:
 * - a NUL character (U+0000): text columns cannot hold one (22021, "invalid byte sequence for
 *   encoding UTF8: 0x00") and jsonb refuses the `\u0000` escape (22P05);
 * - a lone UTF-16 surrogate (`"\ud800"` in the JSON body): jsonb refuses it (22P02, "Unicode
 *   low surrogate must follow a high surrogate").
 */
export function unstorableStringProblem(err: unknown): string | null {
  const e = err as { message?: unknown; detail?: unknown; driverError?: { message?: unknown; detail?: unknown } };
  const code = pgCode(err);
  const text = [e?.message, e?.detail, e?.driverError?.message, e?.driverError?.detail].filter((t) => typeof t === 'string').join(' ');
  if ((code === '22021' && /0x00\b/.test(text)) || (code === '22P05' && text.includes('\\u0000'))) {
    return 'a string in the request contains the NUL character (\\u0000), which cannot be stored';
  }
  if (code === '22P02' && /surrogate/i.test(text)) {
    return 'a string in the request is not well-formed Unicode (a lone UTF-16 surrogate such as \\ud800), which cannot be stored';
  }
  return null;
}
