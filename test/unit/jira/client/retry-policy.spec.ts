import {
  DEFAULT_RETRY_OPTIONS,
  JiraError,
  RetryPolicy,
  type RetryPolicyOptions,
  parseRetryAfter,
  retryAfterFromHeaders,
} from '@app/modules/jira/client';

/** A policy on a fake clock: `sleep` advances `now` and is recorded. */
function fakeClock(options: RetryPolicyOptions = {}) {
  const clock = { t: 1_000_000, sleeps: [] as number[] };
  const policy = new RetryPolicy({
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
    now: () => clock.t,
    random: () => 0.5,
    ...options,
  });
  return { clock, policy };
}

const httpError = (status: number, extra: Partial<ConstructorParameters<typeof JiraError>[0]> = {}) =>
  new JiraError({
    kind: status === 429 ? 'rate_limited' : status >= 500 ? 'server' : status === 401 ? 'auth' : status === 404 ? 'not_found' : 'bad_request',
    status,
    method: 'GET',
    path: 'myself',
    mayHaveBeenProcessed: status >= 500 && !(status === 503 && extra.retryAfterMs !== undefined),
    ...extra,
  });

const networkError = (mayHaveBeenProcessed = true, code = 'ECONNRESET') =>
  new JiraError({ kind: 'network', method: 'POST', path: 'issue', code, detail: 'socket hang up', mayHaveBeenProcessed });

/** An operation failing with the given errors in turn, then succeeding. */
function failing(errors: JiraError[], result = 'done') {
  const calls: number[] = [];
  const op = async (attempt: number) => {
    calls.push(attempt);
    const e = errors[attempt - 1];
    if (e) throw e;
    return result;
  };
  return { op, calls };
}

describe('RetryPolicy', () => {
  it('has the documented defaults', () => {
    const p = new RetryPolicy();
    expect(DEFAULT_RETRY_OPTIONS).toEqual({ baseDelayMs: 250, maxDelayMs: 10_000, maxElapsedMs: 60_000, maxAttempts: 10 });
    expect([p.baseDelayMs, p.maxDelayMs, p.maxElapsedMs, p.maxAttempts]).toEqual([250, 10_000, 60_000, 10]);
  });

  describe('full-jitter backoff', () => {
    it('stays within [0, min(cap, base·2^(n-1)))', () => {
      const low = new RetryPolicy({ random: () => 0 });
      const high = new RetryPolicy({ random: () => 0.999999 });
      const ceilings = [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000];
      ceilings.forEach((ceiling, i) => {
        expect(low.backoffMs(i + 1)).toBe(0);
        expect(high.backoffMs(i + 1)).toBeLessThan(ceiling);
        expect(high.backoffMs(i + 1)).toBeGreaterThanOrEqual(ceiling - 1);
      });
      // a random() of exactly 1 (out of contract) still stays below the ceiling
      expect(new RetryPolicy({ random: () => 1 }).backoffMs(1)).toBeLessThan(250);
    });

    it('is spread over the whole range with Math.random', () => {
      const p = new RetryPolicy();
      const samples = Array.from({ length: 2000 }, () => p.backoffMs(3));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThan(1000);
      expect(Math.min(...samples)).toBeLessThan(100);
      expect(Math.max(...samples)).toBeGreaterThan(900);
    });
  });

  it('retries 5xx with backoff and then succeeds', async () => {
    const { clock, policy } = fakeClock();
    const { op, calls } = failing([httpError(500), httpError(502), httpError(504)]);
    await expect(policy.run(op)).resolves.toBe('done');
    expect(calls).toEqual([1, 2, 3, 4]);
    expect(clock.sleeps).toEqual([125, 250, 500]); // random 0.5 × 250·2^(n-1)
  });

  it('retries network errors and timeouts of idempotent requests', async () => {
    const { policy } = fakeClock();
    const timeout = new JiraError({ kind: 'timeout', method: 'GET', path: 'x', mayHaveBeenProcessed: true });
    const { op, calls } = failing([networkError(), timeout]);
    await expect(policy.run(op, { idempotent: true })).resolves.toBe('done');
    expect(calls).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 409, 410])('does not retry %i', async (status) => {
    const { clock, policy } = fakeClock();
    const { op, calls } = failing([httpError(status)]);
    await expect(policy.run(op)).rejects.toMatchObject({ status, attempts: 1 });
    expect(calls).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits exactly Retry-After (seconds) on 429, even beyond the backoff cap', async () => {
    const { clock, policy } = fakeClock();
    const { op } = failing([httpError(429, { retryAfterMs: 1000 }), httpError(429, { retryAfterMs: 12_000 })]);
    await expect(policy.run(op)).resolves.toBe('done');
    expect(clock.sleeps).toEqual([1000, 12_000]);
  });

  it('honours Retry-After on 503', async () => {
    const { clock, policy } = fakeClock();
    const { op } = failing([httpError(503, { retryAfterMs: 3000 })]);
    await expect(policy.run(op)).resolves.toBe('done');
    expect(clock.sleeps).toEqual([3000]);
  });

  it('backs off on 429 without Retry-After', async () => {
    const { clock, policy } = fakeClock();
    const { op } = failing([httpError(429)]);
    await expect(policy.run(op)).resolves.toBe('done');
    expect(clock.sleeps).toEqual([125]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { policy } = fakeClock({ maxAttempts: 3 });
    const errors = [httpError(500), httpError(502), httpError(503), httpError(500)];
    const { op, calls } = failing(errors);
    const error = await policy.run(op).catch((e: JiraError) => e);
    expect(calls).toEqual([1, 2, 3]);
    expect(error).toBe(errors[2]);
    expect((error as JiraError).attempts).toBe(3);
  });

  it('gives up when the time budget would be exceeded', async () => {
    const { clock, policy } = fakeClock({ maxElapsedMs: 5000, random: () => 0.999, maxAttempts: 100 });
    const start = clock.t;
    const { op, calls } = failing(Array.from({ length: 100 }, () => httpError(500)));
    const error = (await policy.run(op).catch((e: JiraError) => e)) as JiraError;
    expect(error.status).toBe(500);
    expect(clock.t - start).toBeLessThanOrEqual(5000);
    // 249 + 499 + 999 + 1998 = 3745; the next (≤ 3995) would pass 5000
    expect(calls).toHaveLength(5);
  });

  it('gives up at once on a Retry-After longer than the remaining budget', async () => {
    const { clock, policy } = fakeClock({ maxElapsedMs: 10_000 });
    const onFailure = jest.fn();
    const { op, calls } = failing([httpError(429, { retryAfterMs: 30_000 })]);
    const error = (await policy.run(op, { onFailure }).catch((e: JiraError) => e)) as JiraError;
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(30_000);
    expect(calls).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
    expect(onFailure.mock.calls[0][1]).toMatchObject({ retry: false, reason: 'time_budget' });
  });

  it('counts the time attempts take against the budget', async () => {
    const { clock, policy } = fakeClock({ maxElapsedMs: 20_000, random: () => 0 });
    const calls: number[] = [];
    const op = async (attempt: number): Promise<string> => {
      calls.push(attempt);
      clock.t += 8000; // each attempt hangs 8 s before failing
      throw networkError(true);
    };
    await expect(policy.run(op, { idempotent: true })).rejects.toMatchObject({ kind: 'network' });
    expect(calls).toEqual([1, 2, 3]);
  });

  describe('non-idempotent requests', () => {
    it('turns a network error after sending into unknown_outcome, without retrying', async () => {
      const { clock, policy } = fakeClock();
      const { op, calls } = failing([networkError(true)]);
      const error = (await policy.run(op, { idempotent: false }).catch((e: JiraError) => e)) as JiraError;
      expect(error).toBeInstanceOf(JiraError);
      expect(error.kind).toBe('unknown_outcome');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/may have been applied/);
      expect(calls).toEqual([1]);
      expect(clock.sleeps).toEqual([]);
    });

    it('turns a timeout and a 500/502/504 into unknown_outcome', async () => {
      for (const e of [
        new JiraError({ kind: 'timeout', method: 'POST', path: 'issue', mayHaveBeenProcessed: true }),
        httpError(500),
        httpError(502),
        httpError(504),
        httpError(503),
      ]) {
        const { policy } = fakeClock();
        const { op, calls } = failing([e]);
        await expect(policy.run(op, { idempotent: false })).rejects.toMatchObject({ kind: 'unknown_outcome' });
        expect(calls).toEqual([1]);
      }
    });

    it('keeps Jira messages on unknown_outcome from a 5xx', async () => {
      const { policy } = fakeClock();
      const { op } = failing([httpError(500, { errorMessages: ['Internal server error'] })]);
      await expect(policy.run(op, { idempotent: false })).rejects.toMatchObject({
        kind: 'unknown_outcome',
        status: 500,
        errorMessages: ['Internal server error'],
      });
    });

    it('retries 429 and 503 with Retry-After (Jira did not process them)', async () => {
      const { clock, policy } = fakeClock();
      const { op, calls } = failing([httpError(429, { retryAfterMs: 1000 }), httpError(503, { retryAfterMs: 2000 })]);
      await expect(policy.run(op, { idempotent: false })).resolves.toBe('done');
      expect(calls).toEqual([1, 2, 3]);
      expect(clock.sleeps).toEqual([1000, 2000]);
    });

    it('retries failures before the connection was made', async () => {
      const { policy } = fakeClock();
      const { op, calls } = failing([networkError(false, 'ECONNREFUSED')]);
      await expect(policy.run(op, { idempotent: false })).resolves.toBe('done');
      expect(calls).toEqual([1, 2]);
    });

    it('never retries a 400', async () => {
      const { policy } = fakeClock();
      const { op, calls } = failing([httpError(400, { errors: { summary: 'required' } })]);
      await expect(policy.run(op, { idempotent: false })).rejects.toMatchObject({ kind: 'bad_request' });
      expect(calls).toEqual([1]);
    });
  });

  it('rethrows non-Jira errors at once', async () => {
    const { policy } = fakeClock();
    const op = jest.fn(async () => {
      throw new TypeError('bug');
    });
    await expect(policy.run(op)).rejects.toThrow(TypeError);
    expect(op).toHaveBeenCalledTimes(1);
  });

  it('reports each failure and its decision', async () => {
    const { policy } = fakeClock();
    const onFailure = jest.fn();
    const { op } = failing([httpError(500), httpError(429, { retryAfterMs: 1000 })]);
    await policy.run(op, { onFailure });
    expect(onFailure.mock.calls.map((c) => [c[2], c[1]])).toEqual([
      [1, { retry: true, delayMs: 125, reason: 'backoff' }],
      [2, { retry: true, delayMs: 1000, reason: 'retry_after' }],
    ]);
  });
});

describe('Retry-After parsing', () => {
  const now = Date.parse('2026-11-24T09:00:00.000Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 08:59:00 GMT', now)).toBe(0); // in the past
  });

  it('ignores garbage', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });

  it('measures an HTTP date against the response Date header (clock skew)', () => {
    const headers = { 'retry-after': 'Tue, 24 Nov 2026 10:00:03 GMT', date: 'Tue, 24 Nov 2026 10:00:00 GMT' };
    expect(retryAfterFromHeaders(headers, now /* our clock is an hour behind */)).toBe(3000);
    expect(retryAfterFromHeaders({ 'retry-after': '2' }, now)).toBe(2000);
  });

  it("falls back to Cloud's X-RateLimit-Reset", () => {
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset': '2026-11-24T09:00:04Z' }, now)).toBe(4000);
    expect(retryAfterFromHeaders({ 'x-ratelimit-reset': '1764000000' }, now)).toBeUndefined();
    expect(retryAfterFromHeaders({}, now)).toBeUndefined();
  });
});

describe('JiraError', () => {
  it("puts Jira's messages in its message", () => {
    const e = new JiraError({
      kind: 'bad_request',
      status: 400,
      errorMessages: [],
      errors: { customfield_10010: 'Platform is required.' },
    });
    expect(e.message).toBe('Jira 400: customfield_10010: Platform is required.');
    expect(e.retryable).toBe(false);
    const both = new JiraError({ kind: 'bad_request', status: 400, errorMessages: ['Bad.'], errors: { summary: 'x' } });
    expect(both.message).toBe('Jira 400: Bad.; summary: x');
    expect(new JiraError({ kind: 'not_found', status: 404 }).message).toBe('Jira 404: Not Found');
  });

  it('has the default retryability per kind', () => {
    expect(new JiraError({ kind: 'rate_limited', status: 429 }).retryable).toBe(true);
    expect(new JiraError({ kind: 'server', status: 502 }).retryable).toBe(true);
    expect(new JiraError({ kind: 'server', status: 501 }).retryable).toBe(false);
    expect(new JiraError({ kind: 'network' }).retryable).toBe(true);
    expect(new JiraError({ kind: 'auth', status: 401 }).retryable).toBe(false);
  });
});
