import { RejectionLimiter, sourceOf } from '@app/modules/sync/webhooks/rejection-limiter';

describe('RejectionLimiter', () => {
  it('refuses a source past its limit until its minute ends, and counts others apart', () => {
    let now = 1_000_000;
    const limiter = new RejectionLimiter(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('203.0.113.9')).toBe(0);
      limiter.reject('203.0.113.9');
    }
    expect(limiter.retryAfter('203.0.113.9')).toBe(60);
    expect(limiter.retryAfter('203.0.113.10')).toBe(0);
    now += 59_001;
    expect(limiter.retryAfter('203.0.113.9')).toBe(1);
    now += 1_000;
    expect(limiter.retryAfter('203.0.113.9')).toBe(0);
    limiter.reject('203.0.113.9');
    expect(limiter.retryAfter('203.0.113.9')).toBe(0);
  });

  it('never refuses with a limit of 0', () => {
    const limiter = new RejectionLimiter(0);
    for (let i = 0; i < 100; i++) limiter.reject('203.0.113.9');
    expect(limiter.retryAfter('203.0.113.9')).toBe(0);
  });

  it('counts an IPv4-mapped address as its IPv4 address, and IPv6 by /64', () => {
    expect(sourceOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(sourceOf('2001:db8:1:2:3:4:5:6')).toBe(sourceOf('2001:db8:1:2:ffff::1'));
    expect(sourceOf('2001:db8:1:2:3:4:5:6')).not.toBe(sourceOf('2001:db8:1:3::1'));
    expect(sourceOf('not an address')).toBe('not an address');
  });
});
