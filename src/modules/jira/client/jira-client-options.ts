import type { EgressGuard } from './egress-guard';
import type { JiraAttemptInfo } from './jira-transport';
import type { RetryPolicy, RetryPolicyOptions } from './retry-policy';

/** How a JiraClient behaves; every member has a default. */
export interface JiraClientOptions {
  /** Per HTTP attempt. Default 15 s. */
  timeoutMs?: number;
  /** Options (incl. injectable `sleep`, `now`, `random`) or a ready policy. */
  retry?: RetryPolicyOptions | RetryPolicy;
  onAttempt?: (info: JiraAttemptInfo) => void;
  /** How long `findUserByEmail` remembers an answer (including "nobody"). Default 5 min. */
  userCacheTtlMs?: number;
  /** Where the client may connect (SSRF guard). Default: any host but the always-refused addresses. */
  egress?: EgressGuard;
  /** Largest answer body read from Jira. Default 16 MiB. */
  maxResponseBytes?: number;
}
