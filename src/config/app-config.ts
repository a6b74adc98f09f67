import type { LogLevel } from '@app/common/logging/log-levels';
import type { TrustProxy } from '@app/common/net/trust-proxy';

export type Role = 'api' | 'worker' | 'all';

/** The validated, resolved configuration. Built once at start-up by loadConfig(). */
export interface AppConfig {
  port: number;
  dataDir: string;
  /** Unset → embedded PGlite under dataDir. */
  databaseUrl?: string;
  /** Unset → jobs run in-process from the outbox table. */
  redisUrl?: string;
  role: Role;
  adminToken: string;
  /** True when the admin token was generated during this start (printed once). */
  adminTokenGenerated: boolean;
  encryptionKey: Buffer;
  /** Keys secrets may still be encrypted under (ENCRYPTION_KEY_PREVIOUS); `npm run reencrypt` moves them to the current one. */
  previousEncryptionKeys: Buffer[];
  publicUrl: string;
  resyncIntervalSeconds: number;
  logLevel: LogLevel;
  workerConcurrency: number;
  /** Wrong bearer tokens an address may send in a minute before it gets 429 (API_TOKEN_FAILURES_PER_MINUTE). */
  apiTokenFailuresPerMinute: number;
  queuePrefix: string;
  /**
   * How long Jira Cloud search may lag behind a create. A retry whose create
   * response was lost keeps looking for the issue by its marker this long
   * before creating again.
   */
  jiraSearchConsistencyMs: number;
  /**
   * How long a claim holds a job without renewal. The worker renews it every third of this
   * while the job runs, however long that is; a job whose worker died runs again after this.
   */
  jobLockSeconds: number;
  /**
   * Hosts the Jira client may reach (JIRA_ALLOWED_HOSTS, normalised entries: names,
   * `*.domain`, IP addresses, CIDR ranges). Empty: any host. Link-local, cloud metadata
   * and unspecified addresses are refused whatever this says.
   */
  jiraAllowedHosts: string[];
  /** Express's `trust proxy` (TRUST_PROXY, common/net/trust-proxy.ts); false: no proxy is trusted. */
  trustProxy: TrustProxy;
  /**
   * How often a worker probes (GET myself) the integrations whose credentials Jira refuses, so that their waiting
   * jobs resume without a new token once Jira accepts the stored one again (0: only a new token resumes them).
   */
  jiraCredentialsProbeSeconds: number;
  /** Webhook deliveries refused per source address in a minute before it is answered 429 (0: no limit). */
  webhookRejectionsPerMinute: number;
  /** Where a worker (ROLE=worker) serves GET /metrics (METRICS_PORT); unset: it serves no HTTP. api and all serve /metrics on PORT. */
  metricsPort?: number;
  /**
   * Seconds the HTTP server keeps an idle client connection open (HTTP_KEEP_ALIVE_SECONDS), announced in the
   * `Keep-Alive: timeout=` header. Node's default of 5 s is shorter than a load balancer's idle timeout, which then
   * reuses connections the server is closing and answers 502.
   */
  httpKeepAliveSeconds: number;
  /** Days activity entries, webhook delivery records and orphaned webhook events are kept (RETENTION_DAYS). */
  retentionDays: number;
  /** Days finished jobs and Idempotency-Keys are kept (JOB_RETENTION_DAYS). */
  jobRetentionDays: number;
  /** How often a worker queues the pruning job (PRUNE_INTERVAL_SECONDS). */
  pruneIntervalSeconds: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export const runsHttp = (c: AppConfig) => c.role !== 'worker';
export const runsWorkers = (c: AppConfig) => c.role !== 'api';

/** Whether the database is PGlite in this process (DATABASE_URL unset) rather than a PostgreSQL server. */
export const usesEmbeddedDatabase = (config: Pick<AppConfig, 'databaseUrl'>): boolean => config.databaseUrl === undefined;
