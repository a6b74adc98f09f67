import { Rig, RigOptions } from './rig';

/**
 * One fault scenario: a describe block with one test that runs against its own started
 * Rig. The rig is stopped in afterAll, so its processes and servers go away even when
 * the test times out; a failure's message gets the rig's diagnostics (outbox state and
 * the tail of every process's log).
 */
export function faultScenario(title: string, test: string, opts: RigOptions, run: (rig: Rig) => Promise<void>): void {
  describe(title, () => {
    let rig: Rig | undefined;
    afterAll(async () => rig?.stop());

    it(test, async () => {
      const started = await Rig.start(opts);
      rig = started;
      try {
        await run(started);
      } catch (err) {
        (err as Error).message += `\n${await started.diagnostics()}`;
        throw err;
      }
    });
  });
}
