// A PostgreSQL-mode service started beside the embedded one, on a database and queue prefix of its
// own, so that single-embedded alternates its rounds between the two modes within the same minutes.
// The machine's speed drifts during a run (the same build has measured 2,365–3,589 req/s embedded in
// one evening), and a comparison with the `single` figure taken minutes earlier moved with it. The
// service not under load at a moment sits idle beside the one that is (its timers only).
import { makeContext, startService, stopService } from './service.mjs';
import { createDatabase, deleteRedisPrefix, dropDatabase } from './stores.mjs';

/**
 * Returns a function that starts the companion and gives { ctx, stop }: ctx is a scenario context for
 * it (its own project), stop() ends it and drops its database and Redis keys.
 */
export function companionStarter({ options, repoDir, benchDir, tmpDir, adminToken, stamp, notes, meta, log }) {
  return async () => {
    const name = `cb_bench_${stamp}_companion`;
    const queuePrefix = `cbbench_${stamp}_companion`;
    const databaseUrl = await createDatabase(options.pgAdminUrl, name);
    let service;
    const stop = async () => {
      if (service) await stopService(service, { log, notes });
      await dropDatabase(options.pgAdminUrl, name).catch((e) => log(`could not drop ${name}: ${e.message}`));
      await deleteRedisPrefix(options.redisUrl, queuePrefix).catch((e) => log(`Redis cleanup under ${queuePrefix} failed: ${e.message}`));
    };
    try {
      service = await startService({ mode: 'postgres', label: 'postgres-companion', options, repoDir, benchDir, tmpDir, adminToken, databaseUrl, queuePrefix, log });
      const state = { batch: { issued: 0, ingested: 0, itemErrors: 0 } };
      const ctx = await makeContext({ service, options, benchDir, tmpDir, databaseUrl, adminToken, state, notes, meta, log });
      return { ctx, stop };
    } catch (err) {
      await stop();
      throw err;
    }
  };
}
