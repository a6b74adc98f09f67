import { IngestLoad } from './support/ingest-load';
import { jiraStorm, retryAfterViolations } from './support/jira-storm';
import { faultScenario } from './support/fault-scenario';
import { reportFault, sleep, until } from './support/rig';

/**
 * Jira answers every request with 429, 500, 503 or 502 for 60 s while groups keep
 * coming in. Afterwards the backlog drains by itself: every group gets exactly one
 * issue (a 5xx on a create leaves the outcome unknown; the retry must look before it
 * creates again), and no request about a group followed a 429/503 sooner than its
 * Retry-After.
 * recovered_in: from the end of the storm until every acknowledged group has its issue.
 */
const STORM_MS = 60_000;

faultScenario('fault: Jira 5xx/429 storm for 60 s', 'drains the backlog afterwards, without duplicates, honouring Retry-After', { sim: { searchVisibilityDelayMs: 1_000 } }, async (rig) => {
  const load = new IngestLoad(() => rig.api.url!, rig.projectKey, rig.ingestToken, { prefix: 'storm', batch: 20, concurrency: 1 });
  for (let i = 0; i < 5; i++) await load.sendOne();
  // Strike once creates are under way (field metadata read, jobs mid-flight), so the
  // storm hits requests about groups, which the Retry-After check can follow.
  await until('the first 20 issues', () => rig.sim.listIssues().length >= 20);
  const storm = jiraStorm(rig.sim, STORM_MS);
  // More groups during the first half of the storm.
  for (let i = 0; i < 10; i++) {
    await sleep(3_000);
    await load.sendOne();
  }
  const { startedAt, endedAt, answered: faulted } = await storm;
  expect(load.acked.size).toBe(300);
  const issuesBefore = rig.sim.requests.filter((r) => r.at < startedAt && r.status === 201).length;

  const doneAt = await rig.waitTicketed(load.acked, 150_000);
  await sleep(2_000);
  const tally = await rig.tally(load.acked);
  const lastTicketed = doneAt && (await rig.lastTicketedAt(load.acked));
  reportFault('jira-storm', { lost: tally.lost, duplicated: tally.duplicated, recoveredInMs: lastTicketed && Math.max(0, lastTicketed - endedAt) });

  const honoured = retryAfterViolations(rig.sim.requests);
  process.stdout.write(
    `  jira-storm: ${faulted.length} Jira requests failed during the storm (${faulted.filter((r) => r.status === 429 || r.status === 503).length} with Retry-After), ` +
      `${issuesBefore} issues created before it; Retry-After checked ${honoured.checked} times, ${honoured.violations.length} violations\n`,
  );
  expect(faulted.length).toBeGreaterThan(20);
  const unfaulted = faulted.filter((r) => ![429, 500, 502, 503].includes(r.status)).map((r) => `${r.method} ${r.path} ${r.status} at +${r.at - startedAt} ms`);
  expect(unfaulted).toEqual([]);
  expect(honoured.checked).toBeGreaterThan(10);
  expect(honoured.violations).toEqual([]);
  expect(tally).toEqual({ lost: 0, duplicated: 0, examples: { lost: [], duplicated: [] } });
  expect(doneAt).toBeDefined();
});
