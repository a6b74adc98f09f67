// Bull names a worker's blocking Redis connection (CLIENT SETNAME) without awaiting or catching the answer. When
// that fails (the queue closed before Redis answered, as when a worker stops right after it starts, or a name
// Redis refuses), the failure must not become an unhandled rejection: in a Node process that is a crash.
// Real Redis, real Bull.
import { Logger } from '@nestjs/common';
import Bull from 'bull';
import { BullDispatcher, OutboxJobData } from '@app/queue/bull.dispatcher';
import { OutboxRunner } from '@app/queue/outbox-runner.service';
import { redisUrl, runId, testMode } from '../../support/test-env';

const postgresOnly = testMode() === 'postgres' ? describe : describe.skip;

postgresOnly('BullDispatcher when Redis does not name the worker connection', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', record));
  afterAll(() => process.off('unhandledRejection', record));
  beforeEach(() => (unhandled.length = 0));

  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
  const start = (prefix: string) => {
    const runner = { run: jest.fn() } as unknown as OutboxRunner;
    const queue = new Bull<OutboxJobData>('outbox', redisUrl(), { prefix });
    const dispatcher = new BullDispatcher(queue, async () => undefined, { runner, concurrency: 2 });
    dispatcher.onApplicationBootstrap();
    return { dispatcher, queue, runner };
  };

  it('a name Redis refuses is logged, and the worker still runs jobs', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    // Redis refuses connection names with spaces, every time: the failure is certain, not a race.
    const { dispatcher, queue, runner } = start(`${runId()} named`);
    try {
      await dispatcher.dispatch([{ id: '1', attempts: 0 }]);
      await new Promise<void>((resolve) => {
        const check = () => ((runner.run as jest.Mock).mock.calls.length > 0 ? resolve() : setTimeout(check, 20));
        check();
      });
      expect(runner.run).toHaveBeenCalledWith('1');
      await settle();
      expect(unhandled).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ msg: 'could not name the worker connection', error: expect.stringMatching(/spaces/) }));
    } finally {
      await dispatcher.drain();
      await queue.close();
      warn.mockRestore();
    }
  });

  it('a stop right after the start leaves no unhandled rejection', async () => {
    for (let i = 0; i < 12; i++) {
      const { dispatcher, runner } = start(`${runId()}_stop_${i}`);
      // From no wait at all to past the moment Bull asks for the name.
      await new Promise((resolve) => setTimeout(resolve, i % 6));
      await dispatcher.drain();
      expect(runner.run).not.toHaveBeenCalled();
    }
    await settle();
    expect(unhandled).toEqual([]);
  });
});
