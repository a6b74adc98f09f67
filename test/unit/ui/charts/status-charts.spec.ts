import { countsByHour, hourSlots } from '@app/modules/ui/charts/hourly';
import { statusCharts } from '@app/modules/ui/charts/status-charts';
import type { ProjectStatusData } from '@app/modules/ui/status/project-status.service';

const NOW = new Date('2026-12-06T09:27:00Z');
const hoursAgo = (h: number) => new Date(Date.UTC(2026, 11, 6, 9 - h));

function data(over: Partial<ProjectStatusData> = {}): ProjectStatusData {
  return {
    now: NOW,
    tickets: [],
    webhookDeliveries: [],
    failedJobs: [],
    queue: { due: 0, later: 0, queued: 0, processing: 0, oldestDueSeconds: 0 },
    resyncs: [],
    credentials: { failingSince: null },
    webhook: { registered: true, lastDeliveryAt: null, deliveries24h: 0 },
    ...over,
  };
}

const total = (svg: string) => Number(/data-chart="[^"]+" data-total="(\d+)"/.exec(svg)?.[1]);

describe('hour slots', () => {
  it('ends with the current hour, oldest first, labelled in UTC', () => {
    const slots = hourSlots(NOW, 24);
    expect(slots).toHaveLength(24);
    expect(slots[23]).toEqual({ start: hoursAgo(0), label: '09:00' });
    expect(slots[0].label).toBe('10:00');
  });

  it('sums rows into their hour and series, leaving out rows outside the window', () => {
    const slots = hourSlots(NOW, 3);
    const rows = [
      { hour: hoursAgo(0), kind: 'a', count: 2 },
      { hour: hoursAgo(0), kind: 'b', count: 1 },
      { hour: hoursAgo(2), kind: 'a', count: 5 },
      { hour: hoursAgo(3), kind: 'a', count: 100 },
    ];
    expect(countsByHour(slots, rows, [{ kinds: ['a'] }, { kinds: ['a', 'b'] }])).toEqual([[5, 5], [0, 0], [2, 3]]);
  });
});

describe('statusCharts', () => {
  it('draws the six charts in order, each with its totals', () => {
    const charts = statusCharts(data({
      tickets: [{ hour: hoursAgo(1), kind: 'ticket.created', count: 4 }, { hour: hoursAgo(2), kind: 'ticket.failed', count: 1 }],
      webhookDeliveries: [{ hour: hoursAgo(0), kind: 'delivery', count: 7 }],
      failedJobs: [{ hour: hoursAgo(0), kind: 'jira.sync', count: 2 }, { hour: hoursAgo(0), kind: 'some.new.kind', count: 1 }],
      queue: { due: 2, later: 1, queued: 0, processing: 1, oldestDueSeconds: 75 },
      resyncs: [{ at: hoursAgo(1), read: 10, changed: 3, unlinked: 1, skipped: 0 }],
    }));
    expect(charts.map((c) => c.id)).toEqual(['tickets', 'webhooks', 'failures', 'queue', 'reconciliation', 'health']);
    const [tickets, webhooks, failures, queue, resync] = charts;
    expect([total(tickets.svg), total(webhooks.svg), total(failures.svg), total(queue.svg), total(resync.svg)]).toEqual([5, 7, 3, 4, 4]);
    expect(tickets.caption).toBe('4 tickets created, 1 creation failed in the last 24 h.');
    expect(failures.svg).toMatch(/>sync<\/text>.*>other<\/text>/s);
    expect(queue.caption).toBe('The oldest due job has waited 1 min 15 s. 1 job will run later (a retry, or waiting for Jira).');
    expect(resync.caption).toBe('1 run, 10 issues read; the last at 08:00 UTC changed 3, unlinked 1, skipped 0.');
  });

  it('shows the health as tiles: refused credentials, a missing webhook, the reconciliation warning', () => {
    const health = statusCharts(data({
      credentials: { failingSince: hoursAgo(2) },
      webhook: { registered: false, lastDeliveryAt: hoursAgo(1).toISOString(), deliveries24h: 3, warning: 'The last 3 reconciliations found changes' },
    }))[5];
    expect(health.svg).toContain('data-tile="Credentials" data-tone="bad"');
    expect(health.svg).toContain('data-tile="Webhook" data-tone="warn"');
    expect(health.svg).toContain('data-tile="Reconciliation" data-tone="bad"');
    expect(health.svg).toMatch(/data-tile="Last delivery" data-tone="ok">.*1 h 27 min ago/);
    expect(health.caption).toMatch(/refuses the stored credentials/);
  });

  it('says a project without Jira has no integration to show', () => {
    const health = statusCharts(data({ credentials: undefined }))[5];
    expect(health.svg).toContain('not set up');
    expect(health.svg.match(/data-tile=/g)).toHaveLength(1);
  });
});
