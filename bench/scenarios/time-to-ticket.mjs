// time-to-ticket: how long after a new group's POST is answered its Jira issue exists. A
// project with a Jira integration (ticket on the first report) against the in-repo Jira
// simulator with no latency or limits; new single groups are POSTed one at a time on an
// otherwise idle service, each after the previous one's issue exists. The simulator numbers
// CHK issues in order, so the bench polls GET /_sim/issues/CHK-<n> every POLL_MS until it
// exists, and takes the issue's own creation time (the simulator's Date.now() when it stored
// it, on the same machine's clock) rather than the poll's: polling adds no delay to the figure.
// Runs in both storage modes (ids `time-to-ticket` and `time-to-ticket-embedded`).
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent, loadAborted, quantile, request } from '../lib/load.mjs';
import { call, createJiraProject, startSimulator } from './tickets.mjs';

const SAMPLES = Number(process.env.BENCH_TTT_SAMPLES ?? 200);
const WARMUP = 10; // first samples not counted (JIT, connections, the simulator's first create)
const POLL_MS = 1;
const WAIT_MS = 10_000; // per sample
const GAP_MS = 20; // between samples: the previous ticket's follow-up work settles first

// The wall clock, as the simulator stamps its issues (Date.now()): performance.timeOrigin + now() is a monotonic
// clock that drifts from it in a long run (seconds, after a clock adjustment, in one 9-minute run here).
const nowMs = () => Date.now();

export function timeToTicketScenario(mode) {
  const embedded = mode === 'embedded';
  const name = embedded ? 'time-to-ticket (embedded)' : 'time-to-ticket';
  const id = embedded ? 'time_to_ticket_embedded' : 'time_to_ticket';
  return {
    id: embedded ? 'time-to-ticket-embedded' : 'time-to-ticket',
    mode,
    title: `${SAMPLES} new single groups POSTed one at a time at idle (${WARMUP} more first, not counted), each creating its Jira issue in the simulator (no latency, no limits): POST answered → issue stored in the simulator; ${embedded ? 'embedded mode' : 'PostgreSQL + Redis'}`,
    async run(ctx) {
      await ctx.quiesce();
      const sim = await startSimulator(ctx, id);
      const agent = keepAliveAgent(2);
      try {
        const key = embedded ? 'bench-ttt-embedded' : 'bench-ttt';
        const { project } = await createJiraProject(ctx, key, sim);
        await call(sim.port, 'POST', '/_sim/faults', { body: { reset: true }, expect: [204] });
        let n = (await call(sim.port, 'GET', '/_sim/issues')).filter((i) => i.projectKey === 'CHK').length;
        const path = `/api/v1/projects/${key}/groups`;
        const headers = { authorization: `Bearer ${project.ingestToken}` };
        const run = Date.now().toString(36);
        const created = []; // POST answered → issue stored (the simulator's clock)
        const seen = []; // POST answered → the poll that found it
        let lost = 0;
        let negative = 0;
        for (let i = 0; i < WARMUP + SAMPLES && !loadAborted(); i++) {
          const fingerprint = `ttt-${run}-${i}`;
          const body = JSON.stringify({ fingerprint, title: `Bench crash ${fingerprint}`, attributes: { version: { '2.4.0': 1 }, platform: 'Linux' } });
          const res = await request(agent, { port: ctx.service.port, path, headers, body });
          const answeredAt = nowMs();
          if (res.status !== 201) throw new Error(`${name}: POST ${path} → ${res.status} ${res.body.slice(0, 300)}`);
          const issueKey = `CHK-${++n}`;
          let issue = null;
          while (nowMs() - answeredAt < WAIT_MS) {
            const r = await request(agent, { port: sim.port, method: 'GET', path: `/_sim/issues/${issueKey}` });
            if (r.status === 200) {
              issue = JSON.parse(r.body);
              break;
            }
            await sleep(POLL_MS);
          }
          const seenAt = nowMs();
          if (!issue) {
            lost++;
            ctx.note(name, `**${issueKey} (group ${fingerprint}) did not exist ${WAIT_MS / 1000} s after the POST; stopped sampling**`);
            break;
          }
          if (!issue.fields.summary?.includes(fingerprint)) throw new Error(`${name}: ${issueKey} is not the issue of ${fingerprint} (summary ${issue.fields.summary})`);
          if (i < WARMUP) continue;
          const ms = issue.createdAt - answeredAt;
          if (ms < 0) negative++;
          created.push(ms);
          seen.push(seenAt - answeredAt);
          await sleep(GAP_MS);
        }
        created.sort((a, b) => a - b);
        seen.sort((a, b) => a - b);
        const p50 = quantile(created, 0.5);
        const p99 = quantile(created, 0.99);
        ctx.note(name, `${created.length} samples after ${WARMUP} warm-up: POST answered → issue stored p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${created.length ? created[created.length - 1].toFixed(1) : '—'} ms` +
          ` (the simulator's timestamps have 1 ms resolution; ${negative} issues were stored before the POST's answer arrived); found by polling every ${POLL_MS} ms: p50 ${quantile(seen, 0.5).toFixed(1)} ms, p99 ${quantile(seen, 0.99).toFixed(1)} ms`);
        return [
          { figure: `${id}_p50_ms`, label: `${name}: p50 POST answered → Jira issue stored, one new group at a time`, unit: 'ms', value: lost ? Infinity : p50,
            target: { on: 'value', op: '<', value: 50, text: '< 50 ms' } },
          { figure: `${id}_p99_ms`, label: `${name}: p99 POST answered → Jira issue stored`, unit: 'ms', value: lost ? Infinity : p99 },
        ];
      } finally {
        agent.destroy();
        await sim.stop(5_000);
      }
    },
  };
}
