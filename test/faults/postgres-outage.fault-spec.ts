import { http, HttpResult } from './support/http';
import { IngestLoad } from './support/ingest-load';
import { faultScenario } from './support/fault-scenario';
import { reportFault, sleep } from './support/rig';

/**
 * PostgreSQL crashes (pg_ctl stop -m immediate: connections drop, no shutdown
 * checkpoint) and stays down 10 s under ingestion and reads. Every API request in
 * that time answers, within a few seconds, 503 with the usual error body: never a
 * hang, never a 500, never a stack trace. Once PostgreSQL is back the API recovers by
 * itself, and every group acknowledged before, during or after gets its one issue.
 * recovered_in: from PostgreSQL being started again until ingestion answers 201 and
 * /health 200 again, and every group acknowledged before has its issue.
 */
const OUTAGE_MS = 10_000;
/** Longest acceptable answer during the outage: the pool's connect timeout is 5 s. */
const MAX_ANSWER_MS = 8_000;
const STACK = /\bat .+\(.*:\d+:\d+\)|node_modules|\.js:\d+|Error: /;

// Jobs cut off by the outage cannot renew their claim and keep it until it lapses: 15 s here
// (default 12 s).
faultScenario('fault: PostgreSQL down for 10 s', 'answers 503 (no hang, no 500, no stack), recovers by itself, loses nothing acknowledged', { env: { JOB_LOCK_SECONDS: '15' } }, async (rig) => {
  const load = new IngestLoad(() => rig.api.url!, rig.projectKey, rig.ingestToken, { prefix: 'pg', batch: 1, concurrency: 2, pauseMs: 50, timeoutMs: 30_000 }).start();
  // Beside ingestion (ingest token), a read with the admin token and /health, every 200 ms.
  const probes: Array<HttpResult & { what: string }> = [];
  let probing = true;
  const probe = async (what: string, send: () => Promise<HttpResult>) => {
    while (probing) {
      probes.push({ ...(await send()), what });
      await sleep(200);
    }
  };
  const probers = [
    probe('health', () => http('GET', `${rig.api.url}/health`, { timeoutMs: 30_000 })),
    probe('list', () => rig.request('GET', `/api/v1/projects/${rig.projectKey}/groups?limit=5`, undefined, { timeoutMs: 30_000 })),
  ];
  await sleep(4_000);

  await rig.pg.halt('immediate');
  const downAt = Date.now();
  await sleep(OUTAGE_MS);
  // pg_ctl -w polls for readiness: PostgreSQL may take connections a moment before it returns.
  const resumeAt = Date.now();
  await rig.pg.resume();
  const upAt = Date.now();
  await sleep(6_000);
  probing = false;
  await Promise.all([load.stop(), ...probers]);

  const all = [...load.sent.map((r) => ({ ...r, what: 'ingest' })), ...probes];
  const during = all.filter((r) => r.sentAt >= downAt && r.sentAt < resumeAt);
  const bad = all
    .filter((r) => r.status === 0 || r.status === 500 || (r.status >= 500 && r.status !== 503) || r.ms > MAX_ANSWER_MS || STACK.test(r.text))
    .map((r) => `${r.what} ${r.status} ${r.error ?? ''} ${r.ms} ms ${r.text.slice(0, 300)}`);
  const not503 = during.filter((r) => r.status !== 503 && r.sentAt > downAt + 500).map((r) => `${r.what} ${r.status} ${r.text.slice(0, 200)}`);
  const wrongBody = during
    .filter((r) => r.status === 503 && r.what !== 'health')
    .filter((r) => !(r.body?.statusCode === 503 && r.body?.error === 'Service Unavailable' && Array.isArray(r.body?.message)));
  const firstOk = (what: string, status: number) => {
    const answeredAt = all.filter((r) => r.what === what && r.sentAt >= resumeAt && r.status === status).map((r) => r.sentAt + r.ms);
    return answeredAt.length ? Math.min(...answeredAt) : undefined;
  };
  const ingestBack = firstOk('ingest', 201);
  const healthBack = firstOk('health', 200);

  const doneAt = await rig.waitTicketed(load.acked, 60_000);
  await sleep(2_000);
  const tally = await rig.tally(load.acked);
  const ackedBeforeUp = load.sent.filter((r) => r.status === 201 && r.sentAt < resumeAt).flatMap((r) => r.fingerprints);
  const backlogDone = await rig.lastTicketedAt(ackedBeforeUp);
  const recovered = ingestBack && healthBack && backlogDone && doneAt ? Math.max(ingestBack, healthBack, backlogDone) - resumeAt : undefined;
  reportFault('postgres-outage', { lost: tally.lost, duplicated: tally.duplicated, recoveredInMs: recovered });
  process.stdout.write(
    `  postgres-outage: ${during.length} requests during the outage (${during.filter((r) => r.status === 503).length} answered 503, slowest ${Math.max(0, ...during.map((r) => r.ms))} ms), ${load.acked.size} groups acknowledged; ` +
      `PostgreSQL restarted in ${upAt - resumeAt} ms; from its start: ingest 201 in ${ingestBack && ingestBack - resumeAt} ms, /health 200 in ${healthBack && healthBack - resumeAt} ms, backlog ticketed ${backlogDone === undefined ? 'never' : backlogDone <= resumeAt ? 'before the restart (nothing waited)' : `in ${backlogDone - resumeAt} ms`}\n`,
  );

  expect(during.length).toBeGreaterThan(50);
  expect(bad).toEqual([]);
  expect(not503).toEqual([]);
  expect(wrongBody).toEqual([]);
  expect(rig.api.running && rig.workers[0].running).toBe(true);
  expect(tally).toEqual({ lost: 0, duplicated: 0, examples: { lost: [], duplicated: [] } });
  expect(recovered).toBeDefined();
});
