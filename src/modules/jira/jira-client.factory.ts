import { Injectable } from '@nestjs/common';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { EgressGuard, JiraClient, JiraClientOptions, JiraConnection } from '@app/modules/jira/client';

interface CachedClient {
  revision: number;
  client: JiraClient;
}

/**
 * Builds Jira clients that report every call to /metrics and connect only where the
 * egress guard allows (JIRA_ALLOWED_HOSTS). Clients of saved integrations are reused
 * while the integration's revision is unchanged, so flavour detection and the user
 * look-up cache survive between jobs.
 */
@Injectable()
export class JiraClientFactory {
  private readonly cache = new Map<string, CachedClient>();

  constructor(
    private readonly metrics: MetricsService,
    private readonly egress: EgressGuard,
  ) {}

  /** `options` override the client defaults (e.g. a short retry budget when a person waits on the answer). */
  create(connection: JiraConnection, options: Omit<JiraClientOptions, 'onAttempt' | 'egress'> = {}): JiraClient {
    return new JiraClient(connection, {
      ...options,
      egress: this.egress,
      onAttempt: (info) => this.metrics.jiraCalls.inc({ method: info.method, outcome: info.outcome }),
    });
  }

  forIntegration(key: { projectId: string; revision: number }, connection: () => JiraConnection): JiraClient {
    const hit = this.cache.get(key.projectId);
    if (hit && hit.revision === key.revision) return hit.client;
    const client = this.create(connection());
    this.cache.set(key.projectId, { revision: key.revision, client });
    return client;
  }
}
