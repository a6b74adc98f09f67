import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { JobGates } from '@app/queue/job-gates';
import { JiraAttemptInfo } from '@app/modules/jira/client';
import { IntegrationKey, JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { CREDENTIALS_WAIT, JIRA_CALLING_KINDS, credentialsWait } from './credentials-wait';

/** Why the credentials are marked failing, as the settings, the UI and the activity show it. */
export function refusalMessage(attempt: Pick<JiraAttemptInfo, 'method' | 'route'>): string {
  return (
    `Jira refused the stored credentials (401 on ${attempt.method} ${attempt.route}). ` +
    'API tokens and personal access tokens expire: create a new one and save it in the Jira settings.'
  );
}

/**
 * The "credentials failing" state of each integration. A 401 from Jira to a saved integration's client marks it
 * failing; while it is, the jobs that call Jira wait (a job gate) instead of spending their attempts. A new
 * token or a probe Jira accepts clears it and wakes the waiting jobs (`recovered`).
 */
@Injectable()
export class CredentialsHealthService implements OnModuleInit {
  private readonly logger = new Logger('JiraCredentials');

  constructor(
    private readonly integrations: JiraIntegrationRepository,
    private readonly outbox: OutboxRepository,
    private readonly clients: JiraClientFactory,
    private readonly gates: JobGates,
  ) {}

  onModuleInit(): void {
    this.clients.onCredentialsRefused((key, attempt) => void this.refused(key, attempt));
    this.gates.register({
      kinds: JIRA_CALLING_KINDS,
      check: async (projectId) => ((await this.integrations.credentialsFailing(projectId)) ? credentialsWait('Jira refuses the integration\'s credentials') : null),
    });
  }

  /** Clears the state in the caller's transaction and makes the waiting jobs due; the caller kicks the relay after commit. */
  async recovered(m: EntityManager, projectId: string): Promise<number> {
    const wasFailing = await this.integrations.clearCredentialsFailing(m, projectId);
    const woken = await this.outbox.wakeWaiting(m, projectId, CREDENTIALS_WAIT);
    if (wasFailing || woken) this.logger.log({ msg: 'jira credentials work again', project: projectId, jobsResumed: woken });
    return woken;
  }

  /** Jobs waiting on a cleared state (e.g. a PUT that replaced the token) resume; the caller kicks the relay after commit. */
  wake(m: EntityManager, projectId: string): Promise<number> {
    return this.outbox.wakeWaiting(m, projectId, CREDENTIALS_WAIT);
  }

  private async refused(key: IntegrationKey, attempt: JiraAttemptInfo): Promise<void> {
    try {
      const marked = await this.integrations.markCredentialsFailing(key.projectId, key.revision, refusalMessage(attempt));
      if (marked) this.logger.warn({ msg: 'jira credentials failing: jobs wait until the token is replaced or a probe succeeds', project: key.projectId });
    } catch (err) {
      this.logger.warn({ msg: 'could not record failing jira credentials', project: key.projectId, error: (err as Error).message });
    }
  }
}
