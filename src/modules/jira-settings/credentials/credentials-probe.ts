import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, runsWorkers } from '@app/config/app-config';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { OutboxService } from '@app/queue/outbox.service';
import { isJiraError } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { CredentialsHealthService } from './credentials-health.service';

/**
 * A probe asks once: the next tick is its retry. With the workers' 60 s retry budget, one site that is down
 * would hold the round, and with it the recovery of every other project.
 */
const PROBE_CLIENT = { retry: { maxAttempts: 1 }, timeoutMs: 5_000 };
/** Sites probed at the same time, so that slow ones do not queue the rest behind them. */
const PROBES_AT_ONCE = 8;

/**
 * Every JIRA_CREDENTIALS_PROBE_SECONDS, a worker asks Jira who it is (`GET myself`) with the stored credentials of
 * each integration marked failing. When Jira accepts them again (a revoked token restored, a Data Center account
 * unlocked, a passing outage of Atlassian's identity service), the state clears and the waiting jobs resume.
 */
@Injectable()
export class CredentialsProbe implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JiraCredentials');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: JiraIntegrationRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly health: CredentialsHealthService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsWorkers(this.config) || this.config.jiraCredentialsProbeSeconds === 0) return;
    this.timer = setInterval(() => void this.probeAll(), this.config.jiraCredentialsProbeSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One round over the failing integrations; a round still running skips the next tick. */
  async probeAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const failing = await this.rows.listFailingCredentials();
      for (let i = 0; i < failing.length; i += PROBES_AT_ONCE) {
        const results = await Promise.allSettled(failing.slice(i, i + PROBES_AT_ONCE).map((f) => this.probe(f.projectId)));
        for (const r of results) if (r.status === 'rejected') this.logger.warn({ msg: 'could not probe jira credentials', error: (r.reason as Error).message });
      }
    } catch (err) {
      this.logger.warn({ msg: 'could not probe jira credentials', error: (err as Error).message });
    } finally {
      this.running = false;
    }
  }

  private async probe(projectId: string): Promise<void> {
    const integration = await this.integrations.find(projectId);
    if (!integration) return;
    try {
      // A client of its own (not the jobs' cached one), for its one-attempt policy; its 401s still report.
      await integrationClient(this.clients, integration, PROBE_CLIENT).myself();
    } catch (err) {
      // A 401 keeps the state (the client reports it); anything else says nothing about the credentials.
      if (!isJiraError(err, 'auth')) this.logger.debug({ msg: 'jira credentials probe inconclusive', project: projectId, error: (err as Error).message });
      return;
    }
    await this.dataSource.transaction((m) => this.health.recovered(m, projectId));
    this.outbox.kick();
  }
}
