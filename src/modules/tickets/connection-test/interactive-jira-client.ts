import { Injectable } from '@nestjs/common';
import { MetricsService } from '../../../common/metrics/metrics.service';
import { JiraClient, JiraConnection, RetryPolicyOptions } from '../../jira/client';
import { JiraClientFactory } from '../../jira/jira-client.factory';

/**
 * Someone is waiting on the HTTP answer (Test connection, Preview), so a Jira that is down
 * must fail within seconds, not after the workers' 60 s retry budget.
 */
const INTERACTIVE_RETRY: RetryPolicyOptions = { maxAttempts: 3, maxElapsedMs: 8_000, maxDelayMs: 2_000 };
const INTERACTIVE_TIMEOUT_MS = 10_000;

/** Jira clients for request/response endpoints: short retry budget, calls still counted in /metrics. */
@Injectable()
export class InteractiveJiraClients {
  constructor(
    private readonly factory: JiraClientFactory,
    private readonly metrics: MetricsService,
  ) {}

  create(connection: JiraConnection): JiraClient {
    const base = this.factory.options;
    return new JiraClient(connection, {
      ...base,
      // Tests may shorten the factory's budget further; never lengthen it here.
      retry: base.retry ?? INTERACTIVE_RETRY,
      timeoutMs: Math.min(base.timeoutMs ?? INTERACTIVE_TIMEOUT_MS, INTERACTIVE_TIMEOUT_MS),
      onAttempt: (info) => this.metrics.jiraCalls.inc({ method: info.method, outcome: info.outcome }),
    });
  }
}
