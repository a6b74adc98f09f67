import { isRefusedData, unstorableStringProblem } from '@app/common/errors/database-errors';

/** A pg error as node-postgres raises it, or as TypeORM wraps it (QueryFailedError.driverError). */
const pgError = (code: string, message: string, detail?: string) => Object.assign(new Error(message), { code, detail });
const wrapped = (e: Error) => Object.assign(new Error(e.message), { driverError: e });

describe('unstorableStringProblem (input PostgreSQL refuses: a 400, not a 500)', () => {
  it('recognises a NUL character in text and in jsonb, raw or wrapped', () => {
    const text = pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
    const json = pgError('22P05', 'unsupported Unicode escape sequence', '\\u0000 cannot be converted to text.');
    for (const e of [text, json, wrapped(text), wrapped(json)]) expect(unstorableStringProblem(e)).toContain('NUL character');
  });

  it('recognises a lone surrogate in jsonb', () => {
    const e = pgError('22P02', 'invalid input syntax for type json', 'Unicode low surrogate must follow a high surrogate.');
    expect(unstorableStringProblem(e)).toContain('lone UTF-16 surrogate');
    expect(unstorableStringProblem(wrapped(e))).toContain('lone UTF-16 surrogate');
  });

  it('leaves every other database error alone', () => {
    for (const e of [
      pgError('22021', 'invalid byte sequence for encoding "UTF8": 0xc3 0x28'),
      pgError('22P05', 'untranslatable character', 'Unicode escape value could not be translated to the server\'s encoding'),
      pgError('22P02', 'invalid input syntax for type bigint: "x"'),
      pgError('23505', 'duplicate key value violates unique constraint'),
      pgError('57P01', 'terminating connection due to administrator command'),
      new Error('something else'),
      undefined,
    ]) expect(unstorableStringProblem(e)).toBeNull();
  });
});

describe('isRefusedData (the values themselves were refused: retrying cannot help)', () => {
  it.each(['22008', '22P02', '22021', '23505', '23503'])('is true for SQLSTATE %s, also wrapped by TypeORM', (code) => {
    expect(isRefusedData({ code })).toBe(true);
    expect(isRefusedData({ driverError: { code } })).toBe(true);
  });

  it.each(['40001', '40P01', '57P01', '08006', 'ECONNRESET', undefined])('is false for %s (retryable, unavailable, or not from PostgreSQL)', (code) => {
    expect(isRefusedData({ code })).toBe(false);
  });

  it('is false for an error that is not a database error', () => {
    expect(isRefusedData(new TypeError('x is undefined'))).toBe(false);
    expect(isRefusedData(undefined)).toBe(false);
  });
});
