import { SIGN_IN_LIMIT, SignInLimiter } from '../../../src/modules/ui/session/sign-in-limiter';

describe('SignInLimiter', () => {
  const t0 = 1_000_000;

  it('lets an address fail SIGN_IN_LIMIT times, then makes it wait until the window ends', () => {
    const limiter = new SignInLimiter();
    for (let i = 0; i < SIGN_IN_LIMIT.failures; i++) {
      expect(limiter.retryAfter('10.0.0.1', t0)).toBe(0);
      limiter.recordFailure('10.0.0.1', t0);
    }
    expect(limiter.retryAfter('10.0.0.1', t0)).toBe(SIGN_IN_LIMIT.windowMs / 1000);
    expect(limiter.retryAfter('10.0.0.1', t0 + SIGN_IN_LIMIT.windowMs - 1500)).toBe(2);
    expect(limiter.retryAfter('10.0.0.2', t0)).toBe(0); // other addresses are not affected
    expect(limiter.retryAfter('10.0.0.1', t0 + SIGN_IN_LIMIT.windowMs)).toBe(0);
  });

  it('starts a new window after the old one ends', () => {
    const limiter = new SignInLimiter();
    for (let i = 0; i < SIGN_IN_LIMIT.failures - 1; i++) limiter.recordFailure('a', t0);
    limiter.recordFailure('a', t0 + SIGN_IN_LIMIT.windowMs + 1);
    expect(limiter.retryAfter('a', t0 + SIGN_IN_LIMIT.windowMs + 2)).toBe(0);
  });

  it('stays bounded under failures from very many addresses', () => {
    const limiter = new SignInLimiter();
    for (let i = 0; i < 25_000; i++) limiter.recordFailure(`addr-${i}`, t0);
    expect((limiter as unknown as { failures: Map<string, unknown> }).failures.size).toBeLessThanOrEqual(10_000);
  });
});
