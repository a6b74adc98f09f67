// backfill: 2,000 groups without tickets, created by one backfill (Jira's bulk create, 50 to a call)
// against the Jira simulator allowing 10 create requests/s (token bucket on POST /issue and
// POST /issue/bulk alike; 429 + Retry-After: 1 beyond it), vs the same limit creating one by one
// (createRules on new groups, one POST /issue per group) on a sample of groups. Figures: groups
// ticketed per second by each path and their ratio, duplicates (simulator issues − linked groups).
import { setTimeout as sleep } from 'node:timers/promises';
import { call, createJiraProject, ingestGroups, startSimulator, waitForTickets } from './tickets.mjs';

const GROUPS = Number(process.env.BENCH_BACKFILL_GROUPS ?? 2_000);
/** One by one at 10/s takes 20 s per 200 groups: a sample gives the rate without 200 s of waiting. */
const SINGLE_SAMPLE = Number(process.env.BENCH_BACKFILL_SINGLE ?? 200);
const LIMIT = 10; // create requests/s allowed by the simulator
const WAIT_MS = 180_000;

async function limited(sim) {
  await call(sim.port, 'POST', '/_sim/faults', { body: { reset: true, rateLimitPerSecond: { requests: LIMIT, retryAfterSeconds: 1 } }, expect: [204] });
}

export default {
  id: 'backfill',
  title: `backfill of ${GROUPS.toLocaleString('en')} groups (bulk create, 50 a call) vs creating one by one (${SINGLE_SAMPLE} groups), the simulator allowing ${LIMIT} create requests/s`,
  async run(ctx) {
    await ctx.quiesce();
    const sim = await startSimulator(ctx, 'backfill');
    try {
      const run = Date.now().toString(36);
      const admin = { authorization: `Bearer ${ctx.adminToken}` };

      // One by one: the createRules path, one POST /issue (and its read-back) per group.
      const single = await createJiraProject(ctx, `bench-single-${run}`, sim);
      await limited(sim);
      let before = (await call(sim.port, 'GET', '/_sim/issues')).length;
      const t0 = performance.now();
      await ingestGroups(ctx, single.project, Array.from({ length: SINGLE_SAMPLE }, (_, i) => `one-${run}-${i}`));
      const ws = await waitForTickets(ctx, single.project.key, SINGLE_SAMPLE, WAIT_MS, 100);
      const singleS = (performance.now() - t0) / 1000;
      const singleIssues = (await call(sim.port, 'GET', '/_sim/issues')).length - before;
      const singleRate = ws.withTicket / singleS;

      // Backfill: the groups exist first (no rule creates them), then one backfill takes them all.
      const bulk = await createJiraProject(ctx, `bench-backfill-${run}`, sim, { createRules: { onNewGroup: false } });
      await ingestGroups(ctx, bulk.project, Array.from({ length: GROUPS }, (_, i) => `bf-${run}-${i}`));
      await limited(sim);
      before = (await call(sim.port, 'GET', '/_sim/issues')).length;
      const t1 = performance.now();
      const started = await call(ctx.service.port, 'POST', `/api/v1/projects/${bulk.project.key}/integrations/jira/backfill`, { headers: admin, body: {}, expect: [202] });
      let progress = started;
      while (progress.status === 'running' && performance.now() - t1 < WAIT_MS) {
        await sleep(100);
        progress = await call(ctx.service.port, 'GET', `/api/v1/projects/${bulk.project.key}/integrations/jira/backfill/${started.id}`, { headers: admin });
      }
      const bulkS = (performance.now() - t1) / 1000;
      const wb = await waitForTickets(ctx, bulk.project.key, GROUPS, 1_000, 100);
      const bulkIssues = (await call(sim.port, 'GET', '/_sim/issues')).length - before;
      const bulkRate = wb.withTicket / bulkS;
      const requests = await call(sim.port, 'GET', '/_sim/requests');
      const bulkCalls = requests.filter((r) => r.method === 'POST' && /\/issue\/bulk$/.test(r.path) && r.at >= Date.now() - bulkS * 1000 - 1_000);
      const { createsRateLimited } = await call(sim.port, 'GET', '/_sim/faults');
      const linked = new Set(wb.groups.filter((g) => g.ticket).map((g) => g.ticket.key));
      const duplicates = bulkIssues - linked.size + (singleIssues - ws.withTicket);

      ctx.note('backfill', `one by one: ${ws.withTicket}/${SINGLE_SAMPLE} groups ticketed in ${singleS.toFixed(1)} s (${singleRate.toFixed(1)} groups/s, ${singleIssues} issues)`);
      ctx.note('backfill', `backfill: ${progress.status}, ${progress.done} created, ${progress.failed} failed of ${progress.total} in ${bulkS.toFixed(1)} s (${bulkRate.toFixed(1)} groups/s); ` +
        `${bulkCalls.length} bulk calls (${bulkCalls.filter((r) => r.status === 201).length} × 201, ${bulkCalls.filter((r) => r.status === 429).length} × 429; ${createsRateLimited} limited in all); ${bulkIssues} issues for ${wb.withTicket} groups`);
      return [
        { figure: 'backfill_groups_per_s', label: `backfill: groups ticketed/s vs one by one, both at ${LIMIT} create requests/s`, unit: 'groups/s', value: bulkRate, baseline: singleRate,
          target: { on: 'ratio', op: '>=', value: 5, text: '≥ 5× one by one' } },
        { figure: 'backfill_duplicates', label: 'backfill: duplicate issues (simulator issues − linked groups, both paths)', unit: '', value: duplicates,
          target: { on: 'value', op: '<=', value: 0, text: '0' } },
        { figure: 'backfill_lost', label: `backfill: groups without ticket when it ended`, unit: '', value: GROUPS - wb.withTicket,
          target: { on: 'value', op: '<=', value: 0, text: '0' } },
      ];
    } finally {
      await sim.stop(5_000);
    }
  },
};
