import type { ProjectStatusData } from '@app/modules/ui/status/project-status.service';
import { barChart, BarSeries } from './bar-chart';
import { countsByHour, hourSlots } from './hourly';
import { statusTiles, Tile } from './status-tiles';
import { duration } from './svg';

/** One chart of the status page: its heading, the SVG, and a sentence under it. */
export interface StatusChart {
  id: string;
  heading: string;
  svg: string;
  caption: string;
}

const BLUE = '#2456c9';
const RED = '#b3261e';
const AMBER = '#b7791f';
const PURPLE = '#7b3fb5';
const TEAL = '#0e7c86';
const GREY = '#8a94a6';

/** Job kinds in the words of the failures list, each with its colour. */
const JOB_KINDS: Array<{ kind: string; name: string; colour: string }> = [
  { kind: 'ticket.create', name: 'create', colour: RED },
  { kind: 'jira.sync', name: 'sync', colour: AMBER },
  { kind: 'jira.regression', name: 'regression', colour: PURPLE },
  { kind: 'jira.resync', name: 'resync', colour: TEAL },
  { kind: 'jira.webhook', name: 'webhook', colour: BLUE },
];

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The status page's charts, built from what the database said (pure: same data, same markup). */
export function statusCharts(d: ProjectStatusData, hours = 24): StatusChart[] {
  const slots = hourSlots(d.now, hours);
  const hourly = (id: string, title: string, series: Array<BarSeries & { kinds: string[] }>, rows: ProjectStatusData['tickets']) => {
    const values = countsByHour(slots, rows, series);
    const svg = barChart({ id, title, series, slots: slots.map((s, i) => ({ label: s.label, values: values[i] })), labelEvery: 3 });
    return { svg, totals: series.map((_, j) => sum(values.map((v) => v[j]))) };
  };

  const tickets = hourly('tickets', 'Tickets created per hour', [
    { name: 'created', colour: BLUE, kinds: ['ticket.created'] },
    { name: 'failed', colour: RED, kinds: ['ticket.failed'] },
  ], d.tickets);
  const deliveries = hourly('webhooks', 'Jira webhook deliveries per hour', [{ name: 'deliveries', colour: TEAL, kinds: ['delivery'] }], d.webhookDeliveries);
  const failureKinds = JOB_KINDS.filter((k) => d.failedJobs.some((r) => r.kind === k.kind));
  const otherKinds = [...new Set(d.failedJobs.map((r) => r.kind))].filter((k) => !JOB_KINDS.some((j) => j.kind === k));
  const failureSeries = [...failureKinds.map((k) => ({ name: k.name, colour: k.colour, kinds: [k.kind] })), ...(otherKinds.length ? [{ name: 'other', colour: GREY, kinds: otherKinds }] : [])];
  const failures = hourly('failures', 'Jira jobs that failed, per hour and kind', failureSeries.length ? failureSeries : [{ name: 'failed jobs', colour: RED, kinds: [] }], d.failedJobs);

  const q = d.queue;
  const queue = barChart({
    id: 'queue', title: 'Unfinished jobs now, by state',
    series: [{ name: 'jobs', colour: BLUE }],
    slots: [
      { label: 'due', values: [q.due] },
      { label: 'later (retry, wait)', values: [q.later] },
      { label: 'queued', values: [q.queued] },
      { label: 'running', values: [q.processing] },
    ],
  });

  const runSeries = [
    { name: 'changed', colour: BLUE, kinds: ['changed'] },
    { name: 'unlinked', colour: AMBER, kinds: ['unlinked'] },
    { name: 'skipped', colour: RED, kinds: ['skipped'] },
  ];
  const runRows = d.resyncs.flatMap((r) => (['changed', 'unlinked', 'skipped'] as const).map((kind) => ({ hour: r.at, kind, count: r[kind] })));
  const resync = hourly('reconciliation', 'Reconciliation: group updates per hour', runSeries, runRows);
  const last = d.resyncs[d.resyncs.length - 1];
  const read = sum(d.resyncs.map((r) => r.read));

  return [
    { id: 'tickets', heading: 'Tickets created', svg: tickets.svg, caption: `${plural(tickets.totals[0], 'ticket')} created, ${plural(tickets.totals[1], 'creation')} failed in the last ${hours} h.` },
    { id: 'webhooks', heading: 'Webhook deliveries', svg: deliveries.svg, caption: `${plural(deliveries.totals[0], 'delivery', 'deliveries')} accepted from Jira in the last ${hours} h.` },
    { id: 'failures', heading: 'Jira failures by kind', svg: failures.svg, caption: `${plural(sum(failures.totals), 'job')} failed for good in the last ${hours} h (see Failures to retry them).` },
    {
      id: 'queue', heading: 'Queue depth and lag', svg: queue,
      caption:
        (q.due + q.queued > 0 ? `The oldest due job has waited ${duration(q.oldestDueSeconds)}.` : 'No job is due: none waits for a worker.') +
        (q.later > 0 ? ` ${plural(q.later, 'job')} will run later (a retry, or waiting for Jira).` : ''),
    },
    {
      id: 'reconciliation', heading: 'Reconciliation (last 24 h)', svg: resync.svg,
      caption: last
        ? `${plural(d.resyncs.length, 'run')}, ${plural(read, 'issue')} read; the last at ${last.at.toISOString().slice(11, 16)} UTC changed ${last.changed}, unlinked ${last.unlinked}, skipped ${last.skipped}.`
        : `No reconciliation ran in the last ${hours} h.`,
    },
    { id: 'health', heading: 'Credentials and webhook health', svg: statusTiles('health', 'Credentials and webhook health', healthTiles(d)), caption: healthCaption(d) },
  ];
}

function healthTiles(d: ProjectStatusData): Tile[] {
  if (!d.credentials) return [{ label: 'Jira integration', value: 'not set up', tone: 'none' }];
  const since = (at: Date) => `${duration((d.now.getTime() - at.getTime()) / 1000)} ago`;
  const w = d.webhook;
  const last = w.lastDeliveryAt ? new Date(w.lastDeliveryAt) : null;
  return [
    d.credentials.failingSince
      ? { label: 'Credentials', value: 'refused by Jira', tone: 'bad', note: `Jira refuses the stored credentials since ${d.credentials.failingSince.toISOString()}; jobs wait for a new token.` }
      : { label: 'Credentials', value: 'accepted', tone: 'ok' },
    w.registered ? { label: 'Webhook', value: 'registered', tone: 'ok' } : { label: 'Webhook', value: 'not registered', tone: 'warn', note: 'Register it under Jira settings, or set it up in Jira by hand.' },
    w.warning ? { label: 'Reconciliation', value: 'missed changes', tone: 'bad', note: w.warning } : { label: 'Reconciliation', value: 'nothing missed', tone: 'ok' },
    { label: 'Last delivery', value: last ? since(last) : 'never', tone: last ? 'ok' : 'none', note: last ? last.toISOString() : undefined },
    { label: 'Deliveries (24 h)', value: String(w.deliveries24h), tone: w.deliveries24h > 0 ? 'ok' : 'none' },
  ];
}

function healthCaption(d: ProjectStatusData): string {
  if (!d.credentials) return 'Set up the Jira integration to see its health here.';
  if (d.credentials.failingSince) return 'Jira refuses the stored credentials: enter a new token under Jira settings.';
  if (d.webhook.warning) return d.webhook.warning;
  return 'Jira accepts the credentials; hover a tile for details.';
}
