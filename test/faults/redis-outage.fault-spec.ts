import { http, HttpResult } from './support/http';
import { IngestLoad } from './support/ingest-load';
import { faultScenario } from './support/fault-scenario';
import { reportFault, sleep } from './support/rig';

/**
 * Redis crashes (SIGKILL; no persistence, so every queued job is gone) and stays down
 * 20 s while groups keep coming in. The API keeps answering: ingestion commits to
 * PostgreSQL, /health says the queue is down. Once Redis is back (empty), every group
 * acknowledged before, during and after the outage gets exactly one issue.
 * recovered_in: from Redis running again until every group acknowledged until then has
 * its issue. Most of it is Bull's reconnect backoff (min(e^n ms, 20 s) per attempt) and
 * its 5 s retryProcessDelay, not the service's own doing.
 */
const OUTAGE_MS = 20_000;
/** /health pings Redis with a 1 s timeout; allow a moment before it must say "down". */
const DETECT_MS = 3_000;

faultScenario('fault: Redis down for 20 s during ingestion', 'keeps ingesting into PostgreSQL, reports the queue down, then processes everything once', {}, async (rig) => {
  const load = new IngestLoad(() => rig.api.url!, rig.projectKey, rig.ingestToken, { prefix: 'redis', batch: 1, concurrency: 2, pauseMs: 50 }).start();
  await sleep(5_000);

  await rig.redis.crash();
  const downAt = Date.now();
  const health: HttpResult[] = [];
  while (Date.now() - downAt < OUTAGE_MS) {
    health.push(await http('GET', `${rig.api.url}/health`, { timeoutMs: 5_000 }));
    await sleep(1_000);
  }
  const duringOutage = load.sent.filter((r) => r.sentAt >= downAt);
  // Committed, not just answered: the groups acknowledged during the outage are in PostgreSQL now.
  const ackedDuring = duringOutage.filter((r) => r.status === 201).flatMap((r) => r.fingerprints);
  const { rows } = await rig.db.query(`SELECT count(*)::int AS n FROM error_groups WHERE fingerprint = ANY($1)`, [ackedDuring]);

  await rig.redis.resume();
  const upAt = Date.now();
  const backlog = await rig.db.query(`SELECT status, count(*)::int AS n FROM outbox WHERE status <> 'done' GROUP BY status ORDER BY status`);
  await sleep(3_000);
  await load.stop();
  const doneAt = await rig.waitTicketed(load.acked, 120_000);
  await sleep(2_000);
  const tally = await rig.tally(load.acked);
  const ackedBeforeUp = load.sent.filter((r) => r.status === 201 && r.sentAt < upAt).flatMap((r) => r.fingerprints);
  const backlogDone = doneAt && (await rig.lastTicketedAt(ackedBeforeUp));
  reportFault('redis-outage', { lost: tally.lost, duplicated: tally.duplicated, recoveredInMs: backlogDone && backlogDone - upAt });

  const failed = duringOutage.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.error ?? r.text.slice(0, 200)}`);
  const lateHealth = health.filter((h) => h.sentAt >= downAt + DETECT_MS);
  process.stdout.write(`  redis-outage: ${duringOutage.length} ingest requests during the outage (${failed.length} not 201), ${load.acked.size} groups acknowledged in all; outbox when Redis came back: ${backlog.rows.map((r) => `${r.status}=${r.n}`).join(' ')}\n`);
  expect(duringOutage.length).toBeGreaterThan(50);
  expect(failed).toEqual([]);
  expect(rows[0].n).toBe(ackedDuring.length);
  expect(lateHealth.length).toBeGreaterThan(5);
  expect(lateHealth.map((h) => [h.status, h.body?.queue, h.body?.database])).toEqual(lateHealth.map(() => [503, 'down', 'up']));
  expect(rig.api.running && rig.workers[0].running).toBe(true);
  expect(tally).toEqual({ lost: 0, duplicated: 0, examples: { lost: [], duplicated: [] } });
  expect(doneAt).toBeDefined();
});
