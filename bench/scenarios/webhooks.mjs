// webhooks: signed Jira Cloud `jira:issue_updated` events (X-Hub-Signature HMAC, unique
// X-Atlassian-Webhook-Identifier) at 32 closed-loop senders against issues linked to
// groups. Every event flips its issue between To Do and Done, so each one changes the
// group's state. Figures: accepted events/s, and the time from a webhook's 2xx to the
// group showing the new state, measured on separate probe issues (one event in flight
// per probe, polled through the groups API) while the load runs. The same scenario runs
// against the service in both storage modes (ids `webhooks` and `webhooks-embedded`). In
// PostgreSQL mode the same senders then load the service alone and the bare intake
// (bench/baseline/webhook-server.mjs: the same HMAC check and one durable INSERT per event) in
// alternating rounds, for the service/baseline ratio.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent, median, quantile, range, request, runLoad } from '../lib/load.mjs';
import { withBaseline } from '../lib/baselines.mjs';
import { cpuWindow } from '../lib/processes.mjs';
import { query } from '../lib/stores.mjs';
import { createJiraProject, ingestGroups, listGroups, startSimulator, waitForTickets } from './tickets.mjs';

const SENDERS = 32;
const ISSUES_PER_SENDER = 4;
const PROBES = 16;
const POLL_MS = 20;
const PROBE_WAIT_MS = 60_000; // after the load ends, how long the probes may still wait for their last event
const BASELINE_TABLE = 'bench_baseline_webhook_events';
const ROUNDS = Math.max(1, Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 3));

const STATUS = {
  open: { jira: { self: '', description: '', name: 'To Do', id: '1', statusCategory: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' } }, resolution: null },
  resolved: {
    jira: { self: '', description: '', name: 'Done', id: '10001', statusCategory: { id: 3, key: 'done', colorName: 'green', name: 'Done' } },
    resolution: { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
  },
};

/** The scenario against the service in `mode` ('postgres': PostgreSQL + Redis, or 'embedded'). */
export function webhooksScenario(mode) {
  const embedded = mode === 'embedded';
  const name = embedded ? 'webhooks (embedded)' : 'webhooks';
  return {
    id: embedded ? 'webhooks-embedded' : 'webhooks',
    mode,
    title: `signed Jira Cloud jira:issue_updated webhooks (To Do ⇄ Done), ${SENDERS} senders on ${SENDERS * ISSUES_PER_SENDER} linked issues, plus ${PROBES} probe issues for accepted → state-changed latency; ${embedded ? 'embedded mode (PGlite, in-process jobs)' : 'PostgreSQL + Redis'}`,
    async run(ctx) {
      await ctx.quiesce();
      const template = JSON.parse(readFileSync(join(ctx.benchDir, '..', 'test', 'fixtures', 'jira-webhooks', 'cloud-issue-updated-status.json'), 'utf8'));
      delete template._source;
      delete template._note;
      const sim = await startSimulator(ctx, embedded ? 'webhooks-embedded' : 'webhooks');
      const key = 'bench-webhooks';
      try {
        const { project, settings } = await createJiraProject(ctx, key, sim);
        const secret = settings.webhook?.secret;
        if (!secret) throw new Error('webhooks: the first PUT of the integration returned no webhook secret');
        const total = SENDERS * ISSUES_PER_SENDER + PROBES;
        const fps = Array.from({ length: total }, (_, i) => (i < SENDERS * ISSUES_PER_SENDER ? `wh-load-${i}` : `wh-probe-${i}`));
        await ingestGroups(ctx, project, fps);
        const w = await waitForTickets(ctx, key, total, 60_000, 250);
        if (w.withTicket < total) throw new Error(`webhooks: only ${w.withTicket} of ${total} groups got a ticket within 60 s`);
        const byFp = new Map(w.groups.map((g) => [g.fingerprint, { fp: g.fingerprint, id: g.ticket.id, key: g.ticket.key, state: g.state }]));
        const setup = { secret, projectKey: key, load: fps.slice(0, SENDERS * ISSUES_PER_SENDER).map((f) => byFp.get(f)), probes: fps.slice(SENDERS * ISSUES_PER_SENDER).map((f) => byFp.get(f)) };
        await ctx.quiesce();
        return await measure(ctx, key, setup, template, { id: embedded ? 'webhooks_embedded' : 'webhooks', name });
      } finally {
        await sim.stop(5_000);
      }
    },
  };
}

async function measure(ctx, key, setup, template, { id, name }) {
    const path = `/webhooks/jira/${key}`;
    let lastTs = 0;
    let nonAccepted = 0;
    const bodyFor = (issue, state) => {
      const ts = (lastTs = Math.max(Date.now(), lastTs + 1)); // strictly increasing event times
      const from = state === 'resolved' ? STATUS.open : STATUS.resolved;
      const to = STATUS[state];
      const iso = new Date(ts).toISOString().replace('Z', '+0000');
      const e = structuredClone(template);
      e.timestamp = ts;
      e.issue.id = issue.id;
      e.issue.key = issue.key;
      e.issue.self = `https://acme.atlassian.net/rest/api/2/issue/${issue.id}`;
      Object.assign(e.issue.fields, { status: to.jira, resolution: to.resolution, resolutiondate: to.resolution ? iso : null, updated: iso });
      e.changelog = {
        id: String(ts),
        items: [
          { field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: from.resolution?.id ?? null, fromString: from.resolution?.name ?? null, to: to.resolution?.id ?? null, toString: to.resolution?.name ?? null },
          { field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.jira.id, fromString: from.jira.name, to: to.jira.id, toString: to.jira.name },
        ],
      };
      const body = JSON.stringify(e);
      return {
        path,
        body,
        headers: {
          'x-hub-signature': `sha256=${createHmac('sha256', setup.secret).update(body).digest('hex')}`,
          'x-atlassian-webhook-identifier': randomUUID(),
          'x-atlassian-webhook-retry': '0',
        },
      };
    };
    const flip = (issue) => (issue.state = issue.state === 'resolved' ? 'open' : 'resolved');
    const accepted = (res) => {
      if (res.status < 200 || res.status >= 300) return -1;
      if (!res.body.includes('"accepted"')) {
        nonAccepted++;
        return 0;
      }
      return 1;
    };

    // Probes: one event in flight per probe issue; a poller reads the groups' states.
    const admin = { authorization: `Bearer ${ctx.adminToken}` };
    const pollAgent = keepAliveAgent(1);
    const probeAgent = keepAliveAgent(PROBES);
    const waiting = new Map(); // fingerprint → {state, resolve}
    let running = true;
    let probing = true;
    let polls = 0;
    let probesUntil = Infinity;
    const poller = (async () => {
      while ((running || waiting.size > 0) && performance.now() < probesUntil) {
        const res = await request(pollAgent, { port: ctx.service.port, method: 'GET', path: `/api/v1/projects/${key}/groups?limit=200&q=wh-probe`, headers: admin });
        const seenAt = performance.now();
        polls++;
        if (res.status === 200) {
          for (const g of JSON.parse(res.body).items) {
            const wt = waiting.get(g.fingerprint);
            if (wt && g.state === wt.state) {
              waiting.delete(g.fingerprint);
              wt.resolve(seenAt);
            }
          }
        }
        await sleep(POLL_MS);
      }
    })();
    const idleSamples = [];
    const samples = [];
    let probeTimeouts = 0;
    let probeErrors = 0;
    let measuring = false;
    const probeLoop = async (issue, into, rounds = Infinity) => {
      for (let round = 0; probing && round < rounds; round++) {
        const spec = bodyFor(issue, flip(issue));
        const seen = new Promise((resolve) => waiting.set(issue.fp, { state: issue.state, resolve }));
        const res = await request(probeAgent, { port: ctx.service.port, path: spec.path, headers: spec.headers, body: spec.body });
        const acceptedAt = performance.now();
        const counted = measuring || into === idleSamples;
        if (accepted(res) !== 1) {
          probeErrors++;
          waiting.delete(issue.fp);
          flip(issue); // unknown outcome: re-read on the next round
          await sleep(50);
          continue;
        }
        const seenAt = await seen; // resolved with null when the probes give up
        if (seenAt === null) {
          if (counted) probeTimeouts++;
          if (counted) into.push(Infinity);
          continue;
        }
        if (counted) into.push(Math.max(0, seenAt - acceptedAt));
      }
    };

    // Reference without load: 3 rounds of the 16 probes.
    await Promise.all(setup.probes.map((p) => probeLoop(p, idleSamples, 3)));

    const loadIssues = setup.load;
    ctx.profileMark?.('service, senders and probes');
    const cpu = cpuWindow(ctx.service.pid);
    const next = new Array(SENDERS).fill(0);
    const warmTimer = setTimeout(() => (measuring = true), ctx.options.warmupMs);
    const probes = setup.probes.map((p) => probeLoop(p, samples));
    const r = await runLoad({
      port: ctx.service.port,
      concurrency: SENDERS,
      warmupMs: ctx.options.warmupMs,
      durationMs: ctx.options.durationMs,
      next: (c) => {
        const issue = loadIssues[c * ISSUES_PER_SENDER + (next[c]++ % ISSUES_PER_SENDER)];
        return bodyFor(issue, flip(issue));
      },
      check: accepted,
    });
    running = false;
    probing = false; // each probe still waits (bounded) for the event it has in flight
    ctx.profileMark?.('after the load');
    const used = ctx.cpuNote(name, 'service', cpu(await ctx.backendPids()), r.requests + r.warmupRequests, 'webhook');
    clearTimeout(warmTimer);
    probesUntil = performance.now() + PROBE_WAIT_MS;
    await poller;
    for (const wt of waiting.values()) wt.resolve(null);
    await Promise.all(probes);
    pollAgent.destroy();
    probeAgent.destroy();

    // Backlog: how long until the accepted events are applied, then whether every group ended in its last event's state.
    const tDrain = performance.now();
    let left = 0;
    while (performance.now() - tDrain < 60_000) {
      left = await ctx.outboxLeft();
      if (left === 0) break;
      await sleep(200);
    }
    const drainS = (performance.now() - tDrain) / 1000;
    const finalStates = new Map((await listGroups(ctx, key)).map((g) => [g.fingerprint, g.state]));
    const wrong = [...loadIssues, ...setup.probes].filter((i) => finalStates.get(i.fp) !== i.state).length;

    // The same senders without probes against the service, then against the bare intake (after the state check above).
    const vs = ctx.mode === 'postgres' ? await measureAgainstBaseline(ctx, setup, bodyFor, loadIssues) : null;
    const base = vs?.base;

    samples.sort((a, b) => a - b);
    idleSamples.sort((a, b) => a - b);
    const p50 = quantile(samples, 0.5);
    const p99 = quantile(samples, 0.99);
    ctx.note(name, `${r.requests} webhooks in ${r.seconds.toFixed(1)} s after ${r.warmupRequests} warm-up (POST p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms); ${r.errors} non-2xx, ${nonAccepted} 2xx but not "accepted"` +
      (r.sampleErrors.length ? `, e.g. ${r.sampleErrors.join(' | ')}` : ''));
    ctx.note(name, `probes: ${samples.length} measured events on ${PROBES} issues (one in flight each), state polled through GET …/groups every ${POLL_MS} ms (${polls} polls), so latency includes up to ~${POLL_MS} ms of polling delay; p50 ${p50.toFixed(0)} ms, max ${samples.length ? samples[samples.length - 1].toFixed(0) : '—'} ms; ${probeTimeouts} not seen within ${PROBE_WAIT_MS / 1000} s after the load; ${probeErrors} probe POSTs failed; without load (${idleSamples.length} events before it): p50 ${quantile(idleSamples, 0.5).toFixed(0)} ms, p99 ${quantile(idleSamples, 0.99).toFixed(0)} ms`);
    ctx.note(name, `after the load: ${left} outbox jobs left after ${drainS.toFixed(1)} s of drain; ${wrong} of ${loadIssues.length + PROBES} groups not in the state of their last event`);
    return [
      { figure: `${id}_accepted_per_s`, label: `${name}: accepted events/s`, unit: 'events/s', value: r.itemsPerSec,
        target: { on: 'value', op: '>=', value: 1_000, text: '≥ 1,000' } },
      ...(base
        ? [{ figure: `${id}_vs_baseline_per_s`, label: `${name}: accepted events/s, the ${SENDERS} senders alone, against the bare signed intake (node:http + pg), median of ${ROUNDS} alternating rounds (ratio: median of the rounds' ratios)`, unit: 'events/s',
            value: vs.svc.itemsPerSec, range: vs.svc.range, baseline: base.itemsPerSec, baselineRange: base.range, ratio: vs.ratio, target: { on: 'ratio', op: '>=', value: 0.8, text: 'service/baseline ≥ 0.8' } },
          { figure: `${id}_vs_baseline_p99_ms`, label: `${name}: POST p99, the ${SENDERS} senders alone (median of rounds), against the bare signed intake`, unit: 'ms', value: vs.svc.p99, baseline: base.p99 }]
        : []),
      { figure: `${id}_apply_p99_ms`, label: `${name}: p99 accepted (2xx) → group state changed, under load`, unit: 'ms', value: p99,
        target: { on: 'value', op: '<', value: 100, text: '< 100 ms' } },
      { figure: `${id}_apply_p50_ms`, label: `${name}: p50 accepted (2xx) → group state changed, under load`, unit: 'ms', value: p50 },
      { figure: `${id}_apply_idle_p50_ms`, label: `${name}: p50 accepted → group state changed, no load`, unit: 'ms', value: quantile(idleSamples, 0.5) },
      { figure: `${id}_cpu_ms_per_event`, label: `${name}: process CPU per webhook${ctx.mode === 'embedded' ? ' (PGlite included)' : ''}`, unit: 'ms', value: used.processMsPerItem },
      ...(base
        ? [{ figure: `${id}_vs_baseline_cpu_ms`, label: `${name}: process CPU per webhook, senders alone (median of rounds), against the bare intake`, unit: 'ms', value: vs.svc.cpu.processMsPerItem, baseline: base.cpu.processMsPerItem },
          { figure: `${id}_vs_baseline_pg_cpu_ms`, label: `${name}: PostgreSQL CPU per webhook (apply jobs included), senders alone (median of rounds), against the bare intake`, unit: 'ms', value: vs.svc.cpu.postgresMsPerItem, baseline: base.cpu.postgresMsPerItem }]
        : []),
      { figure: `${id}_backlog_drain_s`, label: `${name}: backlog drain after the load`, unit: 's', value: left > 0 ? Infinity : drainS },
      { figure: `${id}_wrong_final_state`, label: `${name}: groups not in their last event's state`, unit: '', value: wrong,
        target: { on: 'value', op: '<=', value: 0, text: '0 (sanity)' } },
    ];
}

/**
 * The senders alone (no probes, no poller), in rounds that alternate the service and the bare
 * signed intake (ROUNDS, BENCH_WEBHOOK_ROUNDS), so that a drift of the machine's speed hits both
 * sides; each side keeps its own copies of the load issues across its rounds. Returns both sides'
 * medians and the median of the rounds' ratios.
 */
async function measureAgainstBaseline(ctx, setup, bodyFor, loadIssues) {
  const [{ id: projectId }] = await query(ctx.databaseUrl, `SELECT id::text AS id FROM projects WHERE key = $1`, [setup.projectKey]);
  const server = {
    name: 'webhook baseline', script: 'webhook-server.mjs', log: 'webhook-baseline', table: BASELINE_TABLE, like: 'webhook_events',
    env: { WEBHOOK_SECRET: setup.secret, PROJECT_ID: projectId },
  };
  const svcIssues = loadIssues.map((i) => ({ ...i }));
  const baseIssues = loadIssues.map((i) => ({ ...i }));
  const svcRounds = [];
  const baseRounds = [];
  await withBaseline(ctx, server, async ({ proc, port }) => {
    for (let i = 1; i <= ROUNDS; i++) {
      await ctx.quiesce();
      svcRounds.push(await sendersOnly(ctx, `service (senders only, round ${i})`, ctx.service.pid, ctx.service.port, bodyFor, svcIssues));
      await ctx.quiesce();
      baseRounds.push(await sendersOnly(ctx, `baseline (round ${i})`, proc.pid, port, bodyFor, baseIssues));
    }
    const [{ n }] = await query(ctx.databaseUrl, `SELECT count(*)::int AS n FROM ${BASELINE_TABLE}`);
    ctx.note('webhooks', `baseline table: ${n} events`);
  });
  const ratios = svcRounds.map((r, i) => r.itemsPerSec / baseRounds[i].itemsPerSec);
  ctx.note('webhooks', `service/baseline accepted/s by round: ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)})`);
  return { svc: summary(svcRounds), base: summary(baseRounds), ratio: median(ratios) };
}

/** Medians of a side's rounds (accepted/s with its range). */
function summary(rounds) {
  const pick = (f) => rounds.map(f);
  const perSec = pick((r) => r.itemsPerSec);
  return {
    itemsPerSec: median(perSec), range: range(perSec),
    p99: median(pick((r) => r.p99)),
    cpu: { processMsPerItem: median(pick((r) => r.cpu.processMsPerItem)), postgresMsPerItem: median(pick((r) => r.cpu.postgresMsPerItem)) },
  };
}

async function sendersOnly(ctx, who, pid, port, bodyFor, issues) {
  const next = new Array(SENDERS).fill(0);
  const flip = (issue) => (issue.state = issue.state === 'resolved' ? 'open' : 'resolved');
  ctx.profileMark?.(who); // BENCH_PROFILE=1: PostgreSQL's waits by load
  const cpu = cpuWindow(pid);
  const r = await runLoad({
    port,
    concurrency: SENDERS,
    warmupMs: ctx.options.warmupMs,
    durationMs: ctx.options.durationMs,
    next: (c) => {
      const issue = issues[c * ISSUES_PER_SENDER + (next[c]++ % ISSUES_PER_SENDER)];
      return bodyFor(issue, flip(issue));
    },
    check: (res) => (res.status >= 200 && res.status < 300 && res.body.includes('"accepted"') ? 1 : -1),
  });
  ctx.profileMark?.('between loads');
  const used = ctx.cpuNote('webhooks', who, cpu(await ctx.backendPids()), r.requests + r.warmupRequests, 'webhook');
  ctx.note('webhooks', `${who}: ${r.requests} webhooks in ${r.seconds.toFixed(1)} s after ${r.warmupRequests} warm-up (${r.itemsPerSec.toFixed(0)} accepted/s, POST p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms); ${r.errors} failed` +
    (r.sampleErrors.length ? `, e.g. ${r.sampleErrors.join(' | ')}` : ''));
  return { ...r, cpu: used };
}
