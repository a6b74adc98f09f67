import { FixedWindowCounter } from '@app/common/fixed-window-counter';

describe('FixedWindowCounter', () => {
  const counter = () => new FixedWindowCounter({ limit: 2, windowMs: 60_000, maxKeys: 2 });

  it('lets a key reach its limit, then makes it wait until its window ends', () => {
    const c = counter();
    expect([c.count('a', 0), c.count('a', 1_000)]).toEqual([0, 0]);
    expect(c.retryAfter('a', 1_000)).toBe(59);
    expect(c.count('a', 1_000)).toBe(59);
    expect(c.retryAfter('b', 1_000)).toBe(0);
    expect(c.retryAfter('a', 60_000)).toBe(0);
    expect(c.count('a', 60_000)).toBe(0);
  });

  it('forgets the least recently seen key past maxKeys', () => {
    const c = counter();
    for (const k of ['a', 'a', 'b', 'c']) c.count(k, 0);
    expect(c.retryAfter('a', 0)).toBe(0);
  });
});
