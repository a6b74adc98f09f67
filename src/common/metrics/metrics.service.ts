import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One integration's webhook health, read at each scrape. */
export interface WebhookHealthSample {
  project: string;
  registered: boolean;
  lastDeliveryAt: Date | null;
  deliveries24h: number;
  /** Reconciliation keeps finding changes that no webhook brought. */
  warning: boolean;
}

/**
 * One registry per application instance (tests boot several apps in one process,
 * so the global default registry would clash). Feature modules record through it.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'crashbridge_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'crashbridge_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly ingestedGroups = new Counter({
    name: 'crashbridge_ingested_groups_total',
    help: 'Error group reports ingested, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'crashbridge_jobs_total',
    help: 'Outbox jobs run, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jiraCalls = new Counter({
    name: 'crashbridge_jira_calls_total',
    help: 'Jira REST calls by method and outcome',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Per HTTP attempt; `operation` is a bounded name (jira/jira-call-operation.ts), never a URL. */
  readonly jiraCallDuration = new Histogram({
    name: 'crashbridge_jira_call_duration_seconds',
    help: 'Jira REST call duration per attempt, by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'crashbridge_queue_depth',
    help: 'Unfinished outbox rows by status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly queueLag = new Gauge({
    name: 'crashbridge_queue_lag_seconds',
    help: 'How long the oldest due outbox job has been waiting (0: none waits)',
    registers: [this.registry],
  });

  readonly webhookLag = new Histogram({
    name: 'crashbridge_jira_webhook_lag_seconds',
    help: 'From a Jira webhook event accepted to applied',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [this.registry],
  });

  readonly rowsPruned = new Counter({
    name: 'crashbridge_rows_pruned_total',
    help: 'Rows deleted by the retention job, by table',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  /** Set by the module that knows the integrations; read at each scrape. */
  webhookHealthSource?: () => Promise<WebhookHealthSample[]>;
  #webhookScrape?: Promise<WebhookHealthSample[]>;

  readonly webhookRegistered = this.webhookGauge('crashbridge_jira_webhook_registered', 'Whether the bridge registered the Jira webhook (1) or not (0), per project', (s) => (s.registered ? 1 : 0));
  readonly webhookLastDelivery = this.webhookGauge(
    'crashbridge_jira_webhook_last_delivery_timestamp_seconds', 'When the last Jira webhook delivery was accepted (0: never), per project',
    (s) => (s.lastDeliveryAt ? Math.floor(s.lastDeliveryAt.getTime() / 1000) : 0),
  );
  readonly webhookDeliveries24h = this.webhookGauge('crashbridge_jira_webhook_deliveries_24h', 'Jira webhook deliveries accepted in the last 24 h, per project', (s) => s.deliveries24h);
  readonly webhookWarning = this.webhookGauge(
    'crashbridge_jira_webhook_warning', 'Reconciliation keeps finding changes that no webhook brought (1): the webhook is missing or misconfigured', (s) => (s.warning ? 1 : 0),
  );

  readonly jiraCredentialsFailing = new Gauge({
    name: 'crashbridge_jira_credentials_failing',
    help: 'Jira integrations whose stored credentials Jira refuses (their jobs wait)',
    registers: [this.registry],
  });

  readonly projectCredentialsFailing = new Gauge({
    name: 'crashbridge_jira_project_credentials_failing',
    help: 'Whether Jira refuses the stored credentials of the project (1) or not (0), per project with an integration',
    labelNames: ['project'] as const,
    registers: [this.registry],
  });

  /** Read the database at each scrape (queue depth and lag, credentials); each keeps its last figures when it fails. */
  readonly #beforeScrape: Array<() => Promise<void>> = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'crashbridge_' });
  }

  onScrape(refresh: () => Promise<void>): void {
    this.#beforeScrape.push(refresh);
  }

  /** The Prometheus text of this process, gauges read from the database first. */
  async scrape(): Promise<string> {
    for (const refresh of this.#beforeScrape) {
      try {
        await refresh();
      } catch {
        // database down: keep the last figures; /health reports the outage
      }
    }
    return this.registry.metrics();
  }

  /** A per-project gauge filled at scrape time; the gauges of one scrape share one read. */
  private webhookGauge(name: string, help: string, value: (s: WebhookHealthSample) => number): Gauge<'project'> {
    const samples = () => (this.#webhookScrape ??= (this.webhookHealthSource?.() ?? Promise.resolve([])).finally(() => (this.#webhookScrape = undefined)));
    return new Gauge({
      name,
      help,
      labelNames: ['project'] as const,
      registers: [this.registry],
      async collect() {
        let all: WebhookHealthSample[];
        try {
          all = await samples();
        } catch {
          return; // database down: keep the last figures; /health reports the outage
        }
        this.reset();
        for (const s of all) this.set({ project: s.project }, value(s));
      },
    });
  }
}
