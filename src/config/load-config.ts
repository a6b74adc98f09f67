import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { generateEncryptionKey, parseEncryptionKey } from '@app/common/crypto';
import { parseHostAllowList } from '@app/common/net/host-allow-list';
import { parseTrustProxy } from '@app/common/net/trust-proxy';
import { AppConfig } from './app-config';
import { EnvSchema } from './env.schema';

export class ConfigError extends Error {}

/** Reads a secret from DATA_DIR, creating it on first start. Returns [value, created]. */
function persistedSecret(dataDir: string, file: string, make: () => string): [string, boolean] {
  const path = join(dataDir, file);
  if (existsSync(path)) return [readFileSync(path, 'utf8').trim(), false];
  const value = make();
  writeFileSync(path, value + '\n', { mode: 0o600, flag: 'wx' });
  return [value, true];
}

function decodeKey(value: string, name = 'ENCRYPTION_KEY'): Buffer {
  try {
    return parseEncryptionKey(value, name);
  } catch (err) {
    throw new ConfigError(`Invalid environment:\n  ${name}: ${(err as Error).message}`);
  }
}

function decodePreviousKeys(list: string | undefined): Buffer[] {
  const items = (list ?? '').split(',').map((k) => k.trim());
  if (items.length === 1 && items[0] === '') return [];
  return items.map((k, i) => decodeKey(k, `ENCRYPTION_KEY_PREVIOUS (key ${i + 1})`));
}

/**
 * Validates the environment once. Any bad value throws a ConfigError whose message
 * names every offending variable; main.ts prints it and exits.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = plainToInstance(EnvSchema, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(raw, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
    throw new ConfigError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  if (!raw.DATABASE_URL && raw.ROLE && raw.ROLE !== 'all') {
    throw new ConfigError('Invalid environment:\n  ROLE: must be all when DATABASE_URL is unset (the embedded database belongs to one process)');
  }
  const port = raw.PORT ?? 3000;
  const dataDir = resolve(raw.DATA_DIR ?? './data');
  mkdirSync(dataDir, { recursive: true });

  let adminToken = raw.ADMIN_TOKEN;
  let adminTokenGenerated = false;
  if (!adminToken) {
    [adminToken, adminTokenGenerated] = persistedSecret(dataDir, 'admin-token', () => 'cb_admin_' + randomBytes(32).toString('base64url'));
  }
  const keyText = raw.ENCRYPTION_KEY ?? persistedSecret(dataDir, 'encryption-key', generateEncryptionKey)[0];

  return {
    port,
    dataDir,
    databaseUrl: raw.DATABASE_URL,
    redisUrl: raw.REDIS_URL,
    role: raw.ROLE ?? 'all',
    adminToken,
    adminTokenGenerated,
    encryptionKey: decodeKey(keyText),
    previousEncryptionKeys: decodePreviousKeys(raw.ENCRYPTION_KEY_PREVIOUS),
    publicUrl: (raw.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    resyncIntervalSeconds: raw.RESYNC_INTERVAL_SECONDS ?? 900,
    logLevel: raw.LOG_LEVEL ?? 'info',
    workerConcurrency: raw.WORKER_CONCURRENCY ?? 5,
    apiTokenFailuresPerMinute: raw.API_TOKEN_FAILURES_PER_MINUTE ?? 20,
    queuePrefix: raw.QUEUE_PREFIX ?? 'crashbridge',
    jiraSearchConsistencyMs: (raw.JIRA_SEARCH_CONSISTENCY_SECONDS ?? 30) * 1000,
    jobLockSeconds: raw.JOB_LOCK_SECONDS ?? 12,
    jiraAllowedHosts: [...parseHostAllowList(raw.JIRA_ALLOWED_HOSTS).entries], // validated by EnvSchema
    trustProxy: parseTrustProxy(raw.TRUST_PROXY), // validated by EnvSchema
    webhookRejectionsPerMinute: raw.WEBHOOK_REJECTIONS_PER_MINUTE ?? 20,
    // Five minutes: a waiting integration resumes soon enough, and a Data Center that counts failed logins
    // towards a CAPTCHA lock sees at most 12 refused probes an hour.
    jiraCredentialsProbeSeconds: raw.JIRA_CREDENTIALS_PROBE_SECONDS ?? 300,
    metricsPort: raw.METRICS_PORT,
    // 65 s: above the 60 s idle timeout of common proxies (AWS ALB's default, nginx's upstream keepalive_timeout),
    // so the proxy, not this server, closes an idle connection and never sends on one the server has just closed.
    httpKeepAliveSeconds: raw.HTTP_KEEP_ALIVE_SECONDS ?? 65,
    retentionDays: raw.RETENTION_DAYS ?? 30,
    jobRetentionDays: raw.JOB_RETENTION_DAYS ?? 7,
    pruneIntervalSeconds: raw.PRUNE_INTERVAL_SECONDS ?? 3600,
  };
}
