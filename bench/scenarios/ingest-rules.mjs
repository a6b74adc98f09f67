// rules: single-group POSTs for a project whose Jira settings hold 20 routes of 5 conditions each and a creation
// threshold, against the same load for a project with the same Jira integration and no rules, in the same run.
//
// The groups never qualify for a ticket in either project (the threshold is never reached; the project without
// rules has minCount at its maximum), so every report runs the ticket rules in the ingestion transaction: the worst
// case, where the rules cost most. The rules project counts each report into the group's occurrence buckets; the
// other reads its settings alone. Routes are only evaluated when a ticket is created; they are in the settings all
// the same, as the issue asks (the rules read only their own members of the document).
//
// The two loads alternate A B B A, in halves of the measured time, so a drift of the machine's other work (or of
// the database) weighs on both alike. A third load then posts to groups that all have their ticket, in a project
// with the same rules: those reports skip the rules (the single fast statement, as without Jira).
import { runLoad } from '../lib/load.mjs';
import { singleGroupBody } from '../lib/groups.mjs';
import { cpuWindow } from '../lib/processes.mjs';
import { query } from '../lib/stores.mjs';
import { call, createJiraProject, ingestGroups, startSimulator, waitForTickets } from './tickets.mjs';

const CONCURRENCY = 32;
const POOL = 5_000;
const ROUTES = 20;
const CONDITIONS_PER_ROUTE = 5;
const THRESHOLD = { count: 1_000_000, withinMinutes: 60 };
/** MAX_MIN_COUNT: the groups of the project without rules never qualify either. */
const NEVER = 1_000_000_000;
/** Groups of the third project, which all have their ticket before its load. */
const TICKETED = 500;

/** Route i: five rows of the kinds routes use (equality, lists, a pattern, a version bound, presence). */
function routes() {
  return Array.from({ length: ROUTES }, (_, i) => {
    const when = [
      { attribute: 'environment', op: '=', value: 'production' },
      { attribute: 'platform', op: 'in', value: ['Linux', 'Windows', `Platform-${i}`] },
      { attribute: 'title', op: 'matches', value: `^(SIGSEGV|Abort) in module_${i}_` },
      { attribute: 'version', op: '>=', value: `2.${i}.0` },
      { attribute: 'team', op: 'exists' },
    ].slice(0, CONDITIONS_PER_ROUTE);
    return { name: `route-${i}`, when, projectKey: 'CHK', issueType: 'Bug', labels: `crashbridge, team-${i}` };
  });
}

/** Creates the pool's groups in batches of 1,000, so both loads update groups from their first request. */
async function createPool(ctx, project, prefix) {
  const headers = { authorization: `Bearer ${project.ingestToken}` };
  for (let i = 0; i < POOL; i += 1_000) {
    const groups = Array.from({ length: Math.min(1_000, POOL - i) }, (_, j) => ({ fingerprint: `${prefix}-${i + j}`, attributes: { version: { '2.4.0': 1 }, platform: 'Linux' } }));
    await call(ctx.service.port, 'POST', `/api/v1/projects/${project.key}/groups`, { headers, body: { groups } });
  }
}

/** One load of single-group POSTs over `pool` groups of the variant's project, added to totals[name]. */
async function measure(ctx, name, v, pool, durationMs, totals) {
  const path = `/api/v1/projects/${v.key}/groups`;
  const headers = { authorization: `Bearer ${v.project.ingestToken}` };
  const cpu = cpuWindow(ctx.service.pid);
  const r = await runLoad({
    port: ctx.service.port,
    concurrency: CONCURRENCY,
    warmupMs: 1_000,
    durationMs,
    next: () => ({ path, headers, body: singleGroupBody(pool, v.prefix) }),
    check: (res) => (res.status === 200 ? 1 : -1),
  });
  const all = r.requests + r.warmupRequests;
  const c = ctx.cpuNote('rules', `service (${name})`, cpu(await ctx.backendPids()), all, 'request');
  if (r.sampleErrors.length) ctx.note('rules', `${name}: errors, e.g. ${r.sampleErrors.join(' | ')}`);
  const t = (totals[name] ??= { requests: 0, seconds: 0, errors: 0, p99: 0, cpuMs: 0, pgMs: 0, items: 0 });
  t.requests += r.requests;
  t.seconds += r.seconds;
  t.errors += r.errors;
  t.p99 = Math.max(t.p99, r.p99);
  t.cpuMs += c.processMsPerItem * all;
  t.pgMs += c.postgresMsPerItem * all;
  t.items += all;
  ctx.note('rules', `${name}: ${r.requests} requests in ${r.seconds.toFixed(1)} s (${Math.round(r.reqPerSec)} req/s, p99 ${r.p99.toFixed(1)} ms)`);
}

export default {
  id: 'rules',
  title: `Single-group POST, ${CONCURRENCY} clients, ${POOL.toLocaleString('en')} groups without a ticket, for a project with ${ROUTES} routes of ${CONDITIONS_PER_ROUTE} conditions and a creation threshold (never reached) against one with the same Jira integration and no rules (minCount never reached), loads alternating A B B A; then ${TICKETED} groups that have their ticket, same rules`,
  async run(ctx) {
    const sim = await startSimulator(ctx, 'rules');
    try {
      const variants = {
        plain: { key: 'bench-norules', prefix: 'norules' },
        rules: { key: 'bench-rules', prefix: 'rules' },
      };
      const plain = await createJiraProject(ctx, variants.plain.key, sim, { createRules: { onNewGroup: true, minCount: NEVER, maxTicketsPerHour: 10_000 } });
      const rules = await createJiraProject(ctx, variants.rules.key, sim, {
        createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 10_000, threshold: THRESHOLD },
        routes: routes(),
      });
      variants.plain.project = plain.project;
      variants.rules.project = rules.project;
      for (const v of Object.values(variants)) await createPool(ctx, v.project, v.prefix);
      const stored = rules.settings.routes.length;
      ctx.note('rules', `rules project: ${stored} routes of ${CONDITIONS_PER_ROUTE} conditions, threshold ${JSON.stringify(rules.settings.createRules.threshold)}; ${POOL} groups created in each project before the loads`);
      await ctx.quiesce();

      const halfMs = Math.max(1_000, Math.round(ctx.options.durationMs / 2));
      const totals = {};
      for (const name of ['plain', 'rules', 'rules', 'plain']) await measure(ctx, name, variants[name], POOL, halfMs, totals);
      const [{ tickets, buckets }] = await query(
        ctx.databaseUrl,
        `SELECT (SELECT count(*)::int FROM outbox WHERE kind = 'ticket.create' AND project_id IN (SELECT id FROM projects WHERE key = ANY($1))) AS tickets,
                (SELECT count(*)::int FROM group_occurrences) AS buckets`,
        [[variants.plain.key, variants.rules.key]],
      );
      ctx.note('rules', `after the loads: ${tickets} ticket jobs (expected 0), ${buckets} occurrence buckets`);

      // Reports for groups that have a ticket skip the rules: the single fast statement, as without Jira.
      const withTickets = { key: 'bench-ticketed', prefix: 'ticketed' };
      withTickets.project = (await createJiraProject(ctx, withTickets.key, sim, {
        createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 10_000, threshold: { count: 1, withinMinutes: 60 } },
        routes: routes(),
      })).project;
      await ingestGroups(ctx, withTickets.project, Array.from({ length: TICKETED }, (_, i) => `${withTickets.prefix}-${i}`));
      const w = await waitForTickets(ctx, withTickets.key, TICKETED, 120_000);
      if (w.withTicket < TICKETED) throw new Error(`only ${w.withTicket} of ${TICKETED} groups got their ticket`);
      ctx.note('rules', `ticketed project (same routes, threshold 1 within 60 min): ${TICKETED} groups got their ticket in ${(w.ms / 1000).toFixed(1)} s`);
      await ctx.quiesce();
      await measure(ctx, 'ticketed', withTickets, TICKETED, ctx.options.durationMs, totals);

      const perSec = (t) => t.requests / t.seconds;
      return [
        { figure: 'rules_req_per_s', label: `rules: requests/s, ${ROUTES} routes × ${CONDITIONS_PER_ROUTE} conditions + threshold`, unit: 'req/s', value: perSec(totals.rules), baseline: perSec(totals.plain),
          target: { on: 'ratio', op: '>=', value: 0.9, text: 'with rules/without ≥ 0.9' } },
        { figure: 'rules_p99_ms', label: 'rules: p99 latency (worst half)', unit: 'ms', value: totals.rules.p99, baseline: totals.plain.p99 },
        { figure: 'rules_errors', label: 'rules: failed requests', unit: '', value: totals.rules.errors + totals.plain.errors, ratio: null,
          target: { on: 'value', op: '<=', value: 0, text: '0 (sanity)' } },
        { figure: 'rules_cpu_ms_per_req', label: 'rules: process CPU per request', unit: 'ms', value: totals.rules.cpuMs / totals.rules.items, baseline: totals.plain.cpuMs / totals.plain.items },
        { figure: 'rules_pg_cpu_ms_per_req', label: 'rules: PostgreSQL CPU per request', unit: 'ms', value: totals.rules.pgMs / totals.rules.items, baseline: totals.plain.pgMs / totals.plain.items },
        { figure: 'rules_ticketed_req_per_s', label: 'rules: requests/s, groups that have a ticket (same rules), against groups without one (no rules)', unit: 'req/s',
          value: perSec(totals.ticketed), baseline: perSec(totals.plain) },
        { figure: 'rules_ticketed_pg_cpu_ms_per_req', label: 'rules: PostgreSQL CPU per request, groups that have a ticket', unit: 'ms',
          value: totals.ticketed.pgMs / totals.ticketed.items, baseline: totals.plain.pgMs / totals.plain.items },
      ];
    } finally {
      await sim.stop(5_000);
    }
  },
};
