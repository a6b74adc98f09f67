import { SingleFlight } from '@app/common/single-flight';

describe('SingleFlight', () => {
  it('shares a run under way for the same key; another key, or a call after it settled, runs afresh', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    let release!: (n: number) => void;
    const work = () => new Promise<number>((r) => ((runs += 1), (release = r)));
    const a = flights.run('k', work);
    const b = flights.run('k', work);
    const other = flights.run('other', async () => 7);
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(1);
    release(42);
    expect(await Promise.all([a, b, other])).toEqual([42, 42, 7]);
    const again = flights.run('k', work);
    await new Promise((r) => setImmediate(r));
    release(43);
    expect([await again, runs]).toEqual([43, 2]);
  });

  it('hands a failure to every caller of that run, and the next call tries again', async () => {
    const flights = new SingleFlight<string>();
    const boom = () => Promise.reject(new Error('boom'));
    await expect(Promise.all([flights.run('k', boom), flights.run('k', boom)])).rejects.toThrow('boom');
    expect(await flights.run('k', async () => 'ok')).toBe('ok');
  });
});
