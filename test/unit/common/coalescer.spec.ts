import { Coalescer } from '@app/common/coalescer';

/** A run function whose calls stay pending until released, recording the batches it got. */
function recorder(fail?: (items: string[]) => boolean) {
  const calls: Array<{ items: string[]; release: () => void }> = [];
  const run = (ctx: string, items: string[]) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ items, release: () => (fail?.(items) ? reject(new Error(`failed ${items.join(',')}`)) : resolve(`${ctx}:${items.join(',')}`)) });
    });
  return { calls, run };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('Coalescer', () => {
  it('runs at once while the lane is quiet, and sends what arrives meanwhile together', async () => {
    const { calls, run } = recorder();
    const c = new Coalescer(run, { maxRunning: 1, maxBatch: 10, identity: (s: string) => s });
    const a = c.submit('k', 'ctx', 'a');
    const b = c.submit('k', 'ctx', 'b');
    const d = c.submit('k', 'ctx', 'd');
    expect(calls.map((x) => x.items)).toEqual([['a']]);
    calls[0].release();
    expect(await a).toBe('ctx:a');
    await tick();
    expect(calls.map((x) => x.items)).toEqual([['a'], ['b', 'd']]);
    calls[1].release();
    expect([await b, await d]).toEqual(['ctx:b,d', 'ctx:b,d']);
  });

  it('sends the next statement before it answers the requests of the one that ended', async () => {
    const { calls, run } = recorder();
    const c = new Coalescer(run, { maxRunning: 1, maxBatch: 10, identity: (s: string) => s });
    let startedWhenAnswered: string[][] = [];
    const a = c.submit('k', 'ctx', 'a').then((r) => {
      startedWhenAnswered = calls.map((x) => x.items);
      return r;
    });
    void c.submit('k', 'ctx', 'b');
    calls[0].release();
    expect(await a).toBe('ctx:a');
    expect(startedWhenAnswered).toEqual([['a'], ['b']]);
  });

  it('with answerNextTurn, answers only once the next statement has gone out on a later tick, as a pool sends it', async () => {
    const sent: string[][] = [];
    // Like pgQuery: the statement goes out once the pool hands over its connection, on process.nextTick.
    const calls: Array<() => void> = [];
    const run = (_: string, items: string[]) =>
      new Promise<string>((resolve) => {
        process.nextTick(() => sent.push(items));
        calls.push(() => resolve(items.join(',')));
      });
    const sentWhenAnswered = async (answerNextTurn: boolean) => {
      sent.length = 0;
      calls.length = 0;
      const c = new Coalescer(run, { maxRunning: 1, maxBatch: 10, identity: (s: string) => s, answerNextTurn });
      let seen: string[][] = [];
      const a = c.submit('k', 'ctx', 'a').then(() => (seen = sent.map((x) => x)));
      void c.submit('k', 'ctx', 'b');
      await tick();
      calls[0]();
      await a;
      calls[1]();
      return seen;
    };
    expect(await sentWhenAnswered(true)).toEqual([['a'], ['b']]);
    // Answered at once, the requests come before the tick that sends the next statement.
    expect(await sentWhenAnswered(false)).toEqual([['a']]);
  });

  it('frees the lane after a failed statement whose requests were tried again alone', async () => {
    const { calls, run } = recorder((items) => items.length > 1);
    const c = new Coalescer(run, { maxRunning: 1, maxBatch: 10, identity: (s: string) => s });
    void c.submit('k', 'x', 'first');
    const pair = [c.submit('k', 'x', 'a'), c.submit('k', 'x', 'b')];
    calls[0].release();
    await tick();
    calls[1].release(); // ['a', 'b'] fails: each goes again alone
    await tick();
    for (const call of calls.slice(2)) call.release();
    expect(await Promise.all(pair)).toEqual(['x:a', 'x:b']);
    const later = c.submit('k', 'x', 'c');
    await tick();
    expect(calls.map((x) => x.items).slice(-1)).toEqual([['c']]);
    calls[calls.length - 1].release();
    expect(await later).toBe('x:c');
  });

  it('never puts two items of one identity in a statement, and keeps their order', async () => {
    const { calls, run } = recorder();
    const c = new Coalescer(run, { maxRunning: 1, maxBatch: 10, identity: (s: string) => s[0] });
    void c.submit('k', 'x', 'a1');
    const rest = ['a2', 'b1', 'a3', 'b2'].map((s) => c.submit('k', 'x', s));
    calls[0].release();
    await tick();
    calls[1].release();
    await tick();
    calls[2].release();
    await Promise.all(rest);
    expect(calls.map((x) => x.items)).toEqual([['a1'], ['a2', 'b1'], ['a3', 'b2']]);
  });

  it('keeps lanes apart and limits the batch size', async () => {
    const { calls, run } = recorder();
    const c = new Coalescer(run, { maxRunning: 1, maxBatch: 2, identity: (s: string) => s });
    void c.submit('p1', 'one', 'a');
    void c.submit('p2', 'two', 'b');
    for (const s of ['c', 'd', 'e']) void c.submit('p1', 'one', s);
    expect(calls.map((x) => x.items)).toEqual([['a'], ['b']]);
    calls[0].release();
    await tick();
    expect(calls.map((x) => x.items)).toEqual([['a'], ['b'], ['c', 'd']]);
  });

  it('runs each request of a failed shared statement again alone', async () => {
    const { calls, run } = recorder((items) => items.length > 1 || items[0] === 'bad');
    const c = new Coalescer(run, { maxRunning: 1, maxBatch: 10, identity: (s: string) => s });
    void c.submit('k', 'x', 'first');
    const good = c.submit('k', 'x', 'good');
    const bad = c.submit('k', 'x', 'bad');
    calls[0].release();
    await tick();
    calls[1].release(); // ['good', 'bad'] fails
    await tick();
    for (const call of calls.slice(2)) call.release();
    expect(await good).toBe('x:good');
    await expect(bad).rejects.toThrow('failed bad');
    expect(calls.slice(2).map((x) => x.items)).toEqual([['good'], ['bad']]);
  });

  it('fails every request of the statement at once when the failure is not one item\'s', async () => {
    const { calls, run } = recorder((items) => items.length > 1);
    const c = new Coalescer(run, { maxRunning: 1, maxBatch: 10, identity: (s: string) => s, retryAlone: () => false });
    void c.submit('k', 'x', 'first');
    const a = c.submit('k', 'x', 'a');
    const b = c.submit('k', 'x', 'b');
    calls[0].release();
    await tick();
    calls[1].release();
    await expect(a).rejects.toThrow('failed a,b');
    await expect(b).rejects.toThrow('failed a,b');
    expect(calls).toHaveLength(2);
  });
});
