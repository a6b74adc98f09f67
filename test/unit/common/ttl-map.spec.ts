import { TtlMap } from '@app/common/ttl-map';

describe('TtlMap', () => {
  afterEach(() => jest.useRealTimers());

  it('forgets an entry once its time is up', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const m = new TtlMap<string>(5_000);
    m.set('a', 'x');
    jest.setSystemTime(1_004_999);
    expect(m.get('a')).toBe('x');
    jest.setSystemTime(1_005_000);
    expect(m.get('a')).toBeUndefined();
  });

  it('empties itself when it reaches its bound, and deletes on request', () => {
    const m = new TtlMap<number>(60_000, 3);
    [1, 2, 3].forEach((n) => m.set(`k${n}`, n));
    expect(m.get('k3')).toBe(3);
    m.set('k4', 4);
    expect([m.get('k1'), m.get('k3'), m.get('k4')]).toEqual([undefined, undefined, 4]);
    m.delete('k4');
    expect(m.get('k4')).toBeUndefined();
  });
});
