import { IngestLoad } from './support/ingest-load';
import { faultScenario } from './support/fault-scenario';
import { reportFault, sleep } from './support/rig';

/**
 * Redis loses jobs it had accepted: with no worker running, 100 groups are ingested and
 * their ticket jobs handed to Redis (outbox rows 'queued'); Redis is then SIGKILLed (no
 * persistence, so the jobs are gone) and restarted empty, and a worker starts. The API
 * sees its Redis connection come back and offers every queued row again, so the groups
 * are ticketed at once instead of after the relay's 60 s re-offer of queued rows.
 * recovered_in: from Redis running again until every group has its issue.
 */
const GROUPS = 100;
/** Well below the 60 s after which the relay offers a queued row again anyway. */
const RECOVERY_LIMIT_MS = 30_000;

faultScenario('fault: Redis loses the jobs it was given', 'offers them again as soon as Redis is back: every group gets one issue, long before the 60 s re-offer', {}, async (rig) => {
  await rig.workers[0].kill('SIGKILL');
  rig.workers = [];
  const load = new IngestLoad(() => rig.api.url!, rig.projectKey, rig.ingestToken, { prefix: 'lost', batch: 50, concurrency: 1 });
  for (let i = 0; i < GROUPS / 50; i++) await load.sendOne();
  expect(load.acked.size).toBe(GROUPS);
  const queued = async () =>
    (await rig.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'ticket.create' AND status = 'queued'`)).rows[0].n as number;
  let inRedis = 0;
  for (const deadline = Date.now() + 30_000; inRedis < GROUPS && Date.now() < deadline; await sleep(100)) inRedis = await queued();
  expect(inRedis).toBe(GROUPS);

  await rig.redis.crash();
  await sleep(2_000); // the API notices the lost connection
  await rig.redis.resume();
  const upAt = Date.now();
  rig.workers = [await rig.startWorker()];
  const doneAt = await rig.waitTicketed(load.acked, 90_000);
  await sleep(2_000); // a late duplicate would show now
  const tally = await rig.tally(load.acked);
  const lastTicketed = doneAt && (await rig.lastTicketedAt(load.acked));
  const recoveredInMs = lastTicketed && lastTicketed - upAt;
  reportFault('redis-loses-jobs', { lost: tally.lost, duplicated: tally.duplicated, recoveredInMs });
  expect(tally).toEqual({ lost: 0, duplicated: 0, examples: { lost: [], duplicated: [] } });
  expect(recoveredInMs).toBeLessThan(RECOVERY_LIMIT_MS);
});
