// tickets: 1,000 new groups → outbox → Jira creates, against the Jira simulator limiting
// creates to 20/s (token bucket; 429 + Retry-After: 1 beyond it). Figures: creates/s
// achieved vs the allowed 20/s, duplicates (issues in the simulator minus linked groups),
// lost (groups without a ticket after a bounded wait).
//
// Also exports the helpers the webhooks scenario uses: a simulator child process and a
// project with its Jira integration pointed at it.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent, request } from '../lib/load.mjs';
import { freePort, startNode, waitHealthy } from '../lib/processes.mjs';

export const SIM_CREDENTIALS = { email: 'bot@acme.com', apiToken: 'sim-api-token-8f3a61c2' };
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000);
const CREATE_LIMIT = 20; // creates/s allowed by the simulator
const WAIT_MS = Number(process.env.BENCH_TICKETS_WAIT_MS ?? 120_000);

const agent = keepAliveAgent(8);

/** JSON request; throws on an unexpected status. */
export async function call(port, method, path, { headers = {}, body, expect = [200] } = {}) {
  const res = await request(agent, { port, method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!expect.includes(res.status)) throw new Error(`${method} ${path} → ${res.status} ${res.body.slice(0, 300)}`);
  return res.body ? JSON.parse(res.body) : undefined;
}

/** Starts test/jira-sim/main.ts as a child process (Cloud flavour) on a free port. */
export async function startSimulator(ctx, name) {
  const port = await freePort();
  const repoDir = join(ctx.benchDir, '..');
  const sim = startNode({
    name: `jira-sim (${name})`,
    script: join(repoDir, 'test', 'jira-sim', 'main.ts'),
    nodeArgs: ['-r', '@swc-node/register'],
    cwd: repoDir,
    env: { PATH: process.env.PATH, PORT: String(port), JIRA_SIM_FLAVOUR: 'cloud', NODE_ENV: 'test' },
    logFile: join(ctx.tmpDir, `jira-sim-${name}.log`),
  });
  await waitHealthy(sim, port, '/_sim/faults', 60_000);
  return { ...sim, port, apiUrl: `http://127.0.0.1:${port}/rest/api/2/` };
}

/** Creates project `key` and PUTs its Jira integration (pointed at the simulator); returns {project, settings}. */
export async function createJiraProject(ctx, key, sim, extra = {}) {
  const admin = { authorization: `Bearer ${ctx.adminToken}` };
  const project = await call(ctx.service.port, 'POST', '/api/v1/projects', { headers: admin, body: { key, name: key }, expect: [201] });
  const settings = await call(ctx.service.port, 'PUT', `/api/v1/projects/${key}/integrations/jira`, {
    headers: admin,
    expect: [200, 201],
    body: {
      apiUrl: sim.apiUrl,
      auth: { type: 'basic', ...SIM_CREDENTIALS },
      projectKey: 'CHK',
      issueType: 'Bug',
      subject: '[$version] {{title}}',
      labels: 'crashbridge, $platform',
      statusMapping: [
        { jiraStatus: 'To Do', state: 'open', primary: true },
        { jiraStatus: 'Done', state: 'resolved', primary: true },
        { jiraStatus: "Won't Do", state: 'muted' },
      ],
      createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 10_000 },
      ...extra,
    },
  });
  return { project, settings };
}

/** Ingests `fingerprints` as new groups in batches of ≤ 1,000. */
export async function ingestGroups(ctx, project, fingerprints) {
  const headers = { authorization: `Bearer ${project.ingestToken}` };
  for (let i = 0; i < fingerprints.length; i += 1_000) {
    const groups = fingerprints.slice(i, i + 1_000).map((fingerprint) => ({
      fingerprint, title: `Bench crash ${fingerprint}`, count: 1, attributes: { version: { '2.4.0': 1 }, platform: 'Linux' },
    }));
    const r = await call(ctx.service.port, 'POST', `/api/v1/projects/${project.key}/groups`, { headers, body: { groups } });
    const bad = r.results.filter((x) => x.status === 'error');
    if (bad.length) throw new Error(`ingest: ${bad.length} groups rejected, e.g. ${JSON.stringify(bad[0])}`);
  }
}

/** All groups of a project (pages of 200): [{fingerprint, state, ticket}]. */
export async function listGroups(ctx, projectKey) {
  const headers = { authorization: `Bearer ${ctx.adminToken}` };
  const out = [];
  let cursor = null;
  do {
    const q = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call(ctx.service.port, 'GET', `/api/v1/projects/${projectKey}/groups?${q}`, { headers });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Polls until every group has a ticket or `waitMs` passed; returns {groups, withTicket, ms, polls}. */
export async function waitForTickets(ctx, projectKey, expected, waitMs, everyMs = 250) {
  const t0 = performance.now();
  let groups = [];
  let withTicket = 0;
  while (true) {
    groups = await listGroups(ctx, projectKey);
    withTicket = groups.filter((g) => g.ticket).length;
    if (withTicket >= expected || performance.now() - t0 > waitMs) break;
    await sleep(everyMs);
  }
  return { groups, withTicket, ms: performance.now() - t0 };
}

export default {
  id: 'tickets',
  title: `${TICKETS.toLocaleString('en')} new groups in one batch → Jira creates against the simulator limiting POST /issue to ${CREATE_LIMIT}/s (token bucket, 429 + Retry-After: 1); createRules.maxTicketsPerHour 10,000`,
  async run(ctx) {
    await ctx.quiesce();
    const sim = await startSimulator(ctx, 'tickets');
    try {
      const key = 'bench-tickets';
      const { project } = await createJiraProject(ctx, key, sim);
      await call(sim.port, 'POST', '/_sim/faults', { body: { reset: true, rateLimitPerSecond: { requests: CREATE_LIMIT, retryAfterSeconds: 1 } }, expect: [204] });
      const before = (await call(sim.port, 'GET', '/_sim/issues')).length;
      const run = Date.now().toString(36);
      const fingerprints = Array.from({ length: TICKETS }, (_, i) => `tk-${run}-${i}`);

      const startedAt = Date.now();
      const t0 = performance.now();
      await ingestGroups(ctx, project, fingerprints);
      const ingestMs = performance.now() - t0;
      const w = await waitForTickets(ctx, key, TICKETS, WAIT_MS - ingestMs, 250);
      const visibleS = (performance.now() - t0) / 1000;

      const issues = (await call(sim.port, 'GET', '/_sim/issues')).slice(before);
      const { createsRateLimited } = await call(sim.port, 'GET', '/_sim/faults');
      const creates = (await call(sim.port, 'GET', '/_sim/requests')).filter((r) => r.method === 'POST' && /\/issue\/?$/.test(r.path));
      const created = creates.filter((r) => r.status === 201);
      const lastCreateAt = created.length ? Math.max(...created.map((r) => r.at)) : startedAt;
      // Achieved rate: issues created from the moment the groups were posted to the last successful create.
      const createSeconds = Math.max(0.001, (lastCreateAt - startedAt) / 1000);
      const achieved = issues.length / createSeconds;
      const linked = new Set(w.groups.filter((g) => g.ticket).map((g) => g.ticket.key));
      const lost = TICKETS - w.withTicket;
      const duplicates = issues.length - linked.size;
      const otherStatuses = {};
      for (const r of creates) if (r.status !== 201 && r.status !== 429) otherStatuses[r.status] = (otherStatuses[r.status] ?? 0) + 1;

      ctx.note('tickets', `ingest of ${TICKETS} groups took ${ingestMs.toFixed(0)} ms; ${issues.length} issues created in ${createSeconds.toFixed(1)} s (ideal at ${CREATE_LIMIT}/s with a full bucket of ${CREATE_LIMIT}: ${((TICKETS - CREATE_LIMIT) / CREATE_LIMIT).toFixed(1)} s); all tickets visible in the API after ${visibleS.toFixed(1)} s`);
      ctx.note('tickets', `POST /issue: ${creates.length} attempts, ${created.length} × 201, ${createsRateLimited} × 429 from the per-second limit` +
        (Object.keys(otherStatuses).length ? `, other statuses ${JSON.stringify(otherStatuses)}` : '') + `; ${linked.size} distinct tickets linked to ${w.withTicket} groups`);
      if (lost > 0) ctx.note('tickets', `**${lost} of ${TICKETS} groups still had no ticket after the bounded wait of ${(WAIT_MS / 1000).toFixed(0)} s** (scenario failed; ${issues.length} issues exist in the simulator)`);
      return [
        { figure: 'tickets_creates_per_s', label: `tickets: creates/s vs the ${CREATE_LIMIT}/s allowed`, unit: 'creates/s', value: achieved, baseline: CREATE_LIMIT,
          target: { on: 'ratio', op: '>=', value: 0.9, text: `≥ 0.9 × ${CREATE_LIMIT}/s` } },
        { figure: 'tickets_all_visible_s', label: `tickets: time until all ${TICKETS.toLocaleString('en')} groups show a ticket`, unit: 's', value: lost > 0 ? Infinity : visibleS },
        { figure: 'tickets_duplicates', label: 'tickets: duplicate issues (simulator issues − linked groups)', unit: '', value: duplicates,
          target: { on: 'value', op: '<=', value: 0, text: '0' } },
        { figure: 'tickets_lost', label: `tickets: groups without ticket after ≤ ${(WAIT_MS / 1000).toFixed(0)} s`, unit: '', value: lost,
          target: { on: 'value', op: '<=', value: 0, text: '0' } },
      ];
    } finally {
      await sim.stop(5_000);
    }
  },
};
