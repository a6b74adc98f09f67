import { Injectable } from '@nestjs/common';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { EgressGuard, JiraAttemptInfo, JiraClient, JiraClientOptions, JiraConnection } from '@app/modules/jira/client';
import { jiraCallOperation } from './jira-call-operation';

interface CachedClient {
  revision: number;
  client: JiraClient;
}

/** A saved integration's client, by project and settings revision. */
export interface IntegrationKey {
  projectId: string;
  revision: number;
  /** The site's own address when stored (serverInfo.baseUrl), for browse links. */
  siteUrl?: string | null;
}

/** What a caller may set on a client: the factory sets its egress guard and the reporting of each call itself. */
export type FactoryClientOptions = Omit<JiraClientOptions, 'onAttempt' | 'egress'>;

/** Told when Jira refuses a saved integration's credentials (401). */
export type CredentialsRefusedListener = (key: IntegrationKey, attempt: JiraAttemptInfo) => void;

/**
 * Builds Jira clients that report every call to /metrics and connect only where the
 * egress guard allows (JIRA_ALLOWED_HOSTS). Clients of saved integrations are reused
 * while the integration's revision is unchanged, so flavour detection and the user
 * look-up cache survive between jobs.
 */
@Injectable()
export class JiraClientFactory {
  private readonly cache = new Map<string, CachedClient>();
  private readonly refusedListeners: CredentialsRefusedListener[] = [];

  constructor(
    private readonly metrics: MetricsService,
    private readonly egress: EgressGuard,
  ) {}

  /** `options` override the client defaults (e.g. a short retry budget when a person waits on the answer). */
  create(connection: JiraConnection, options: FactoryClientOptions = {}, key?: IntegrationKey): JiraClient {
    return new JiraClient(connection, {
      ...options,
      egress: this.egress,
      onAttempt: (info) => {
        this.metrics.jiraCalls.inc({ method: info.method, outcome: info.outcome });
        this.metrics.jiraCallDuration.observe({ operation: jiraCallOperation(info), outcome: info.outcome }, info.durationMs / 1000);
        if (key && info.outcome === 'auth') for (const listener of this.refusedListeners) listener(key, info);
      },
    });
  }

  /** Only the clients of saved integrations report: a Test connection with typed-in credentials does not. */
  onCredentialsRefused(listener: CredentialsRefusedListener): void {
    this.refusedListeners.push(listener);
  }

  forIntegration(key: IntegrationKey, connection: () => JiraConnection): JiraClient {
    const hit = this.cache.get(key.projectId);
    if (hit && hit.revision === key.revision) return hit.client;
    const client = this.forIntegrationWith(key, connection(), {});
    this.cache.set(key.projectId, { revision: key.revision, client });
    return client;
  }

  /** A saved integration's client with options of its own (e.g. a probe that asks once), not cached; its 401s report too. */
  forIntegrationWith(key: IntegrationKey, conn: JiraConnection, options: FactoryClientOptions): JiraClient {
    return this.create({ ...conn, siteUrl: conn.siteUrl ?? key.siteUrl ?? undefined }, options, { projectId: key.projectId, revision: key.revision });
  }
}
