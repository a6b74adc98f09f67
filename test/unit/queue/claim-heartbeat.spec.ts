import { ClaimHeartbeat } from '@app/queue/claim-heartbeat';

/** A renewal the test answers by hand, to hold one in flight. */
function manualRenewal() {
  const calls: Array<(held: boolean) => void> = [];
  const renew = () => new Promise<boolean>((resolve) => calls.push(resolve));
  return { renew, calls };
}

describe('ClaimHeartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const events = () => ({ onLost: jest.fn(), onError: jest.fn() });

  it('renews every interval while the claim is held, and not after stop', async () => {
    const renew = jest.fn().mockResolvedValue(true);
    const heartbeat = ClaimHeartbeat.start(renew, 1_000, events());
    expect(renew).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(renew).toHaveBeenCalledTimes(3);
    heartbeat.stop();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(renew).toHaveBeenCalledTimes(3);
  });

  it('does not keep the process alive', () => {
    jest.useRealTimers();
    const setTimer = jest.spyOn(global, 'setTimeout');
    const heartbeat = ClaimHeartbeat.start(jest.fn().mockResolvedValue(true), 1_000, events());
    const timer = setTimer.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    heartbeat.stop();
    setTimer.mockRestore();
  });

  it('runs one renewal at a time: the next interval starts when the last renewal answered', async () => {
    const { renew, calls } = manualRenewal();
    const heartbeat = ClaimHeartbeat.start(renew, 1_000, events());
    await jest.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
    calls[0](true);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    heartbeat.stop();
  });

  it('says the claim is lost once and stops renewing when the row is no longer this attempt’s', async () => {
    const renew = jest.fn().mockResolvedValueOnce(true).mockResolvedValue(false);
    const e = events();
    ClaimHeartbeat.start(renew, 1_000, e);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(renew).toHaveBeenCalledTimes(2);
    expect(e.onLost).toHaveBeenCalledTimes(1);
    expect(e.onError).not.toHaveBeenCalled();
  });

  it('reports a failed renewal and tries again at the next interval', async () => {
    const renew = jest.fn().mockRejectedValueOnce(new Error('connection refused')).mockResolvedValue(true);
    const e = events();
    const heartbeat = ClaimHeartbeat.start(renew, 1_000, e);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(e.onError).toHaveBeenCalledWith(new Error('connection refused'));
    expect(renew).toHaveBeenCalledTimes(2);
    expect(e.onLost).not.toHaveBeenCalled();
    heartbeat.stop();
  });

  it('says nothing when the job settled its row while a renewal was in flight', async () => {
    const { renew, calls } = manualRenewal();
    const e = events();
    const heartbeat = ClaimHeartbeat.start(renew, 1_000, e);
    await jest.advanceTimersByTimeAsync(1_000);
    heartbeat.stop();
    calls[0](false);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(e.onLost).not.toHaveBeenCalled();
    expect(calls).toHaveLength(1);
  });
});
