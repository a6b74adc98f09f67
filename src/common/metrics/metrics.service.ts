import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

  readonly queueDepth = new Gauge({
    name: 'crashbridge_queue_depth',
    help: 'Unfinished outbox rows by status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly jiraCredentialsFailing = new Gauge({
    name: 'crashbridge_jira_credentials_failing',
    help: 'Jira integrations whose stored credentials Jira refuses (their jobs wait)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'crashbridge_' });
  }
}
