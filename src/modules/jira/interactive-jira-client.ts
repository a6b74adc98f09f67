import { Injectable } from '@nestjs/common';
import { JiraClient, JiraConnection, RetryPolicyOptions } from '@app/modules/jira/client';
import { JiraClientFactory } from './jira-client.factory';

/**
 * Someone is waiting on the HTTP answer (Test connection, Preview), so a Jira that is down
 * must fail within seconds, not after the workers' 60 s retry budget.
 */
const INTERACTIVE_RETRY: RetryPolicyOptions = { maxAttempts: 3, maxElapsedMs: 8_000, maxDelayMs: 2_000 };
const INTERACTIVE_TIMEOUT_MS = 10_000;

/** Jira clients for request/response endpoints: short retry budget, calls still counted in /metrics. */
@Injectable()
export class InteractiveJiraClients {
  constructor(private readonly factory: JiraClientFactory) {}

  create(connection: JiraConnection): JiraClient {
    return this.factory.create(connection, { retry: INTERACTIVE_RETRY, timeoutMs: INTERACTIVE_TIMEOUT_MS });
  }
}
