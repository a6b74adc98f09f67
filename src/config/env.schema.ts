import { Transform } from 'class-transformer';
import {
  IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, Validate, ValidationArguments,
  ValidatorConstraint, ValidatorConstraintInterface,
} from 'class-validator';
import { LOG_LEVELS, LogLevel } from '@app/common/logging/log-levels';
import { HostAllowListError, parseHostAllowList } from '@app/common/net/host-allow-list';
import { parseTrustProxy, TrustProxyError } from '@app/common/net/trust-proxy';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * A class-validator constraint for a variable read by `parse`, which throws `errorClass`
 * with the reason: the message is the parser's own (load-config prefixes the name).
 */
function parsedBy(name: string, parse: (value: string) => unknown, errorClass: abstract new (...args: never[]) => Error) {
  const problem = (value: unknown): string | null => {
    if (typeof value !== 'string') return 'must be text';
    try {
      parse(value);
      return null;
    } catch (err) {
      if (err instanceof errorClass) return err.message;
      throw err;
    }
  };
  @ValidatorConstraint({ name })
  class ParsedConstraint implements ValidatorConstraintInterface {
    validate(value: unknown): boolean {
      return problem(value) === null;
    }
    defaultMessage(args: ValidationArguments): string {
      return problem(args.value) ?? 'is invalid';
    }
  }
  return ParsedConstraint;
}

const HostAllowListConstraint = parsedBy('hostAllowList', parseHostAllowList, HostAllowListError);
const TrustProxyConstraint = parsedBy('trustProxy', parseTrustProxy, TrustProxyError);

/** Raw environment as documented in the README's configuration table. */
export class EnvSchema {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString() @MinLength(1)
  DATA_DIR?: string;

  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional() @IsIn(['api', 'worker', 'all'], { message: 'ROLE must be one of api, worker, all' })
  ROLE?: 'api' | 'worker' | 'all';

  @IsOptional() @IsString() @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN?: string;

  @IsOptional() @Matches(/^([A-Za-z0-9+/]{43}=|[A-Za-z0-9_-]{43}|[0-9a-fA-F]{64})$/, {
    message: 'ENCRYPTION_KEY must be 32 bytes as base64 (44 chars) or hex (64 chars)',
  })
  ENCRYPTION_KEY?: string;

  /** Earlier ENCRYPTION_KEYs, comma-separated: still read, never written (key rotation). */
  @IsOptional() @IsString()
  ENCRYPTION_KEY_PREVIOUS?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  RESYNC_INTERVAL_SECONDS?: number;

  @IsOptional() @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  WORKER_CONCURRENCY?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  API_TOKEN_FAILURES_PER_MINUTE?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(3600)
  JIRA_SEARCH_CONSISTENCY_SECONDS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  JOB_LOCK_SECONDS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100_000)
  WEBHOOK_REJECTIONS_PER_MINUTE?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(86_400)
  JIRA_CREDENTIALS_PROBE_SECONDS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  METRICS_PORT?: number;

  /** Seconds an idle client connection is kept open; above the idle timeout of any proxy in front. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'HTTP_KEEP_ALIVE_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'HTTP_KEEP_ALIVE_SECONDS must be at least 1' })
  // Below Node's 300 s limit on a whole request, which the headers timeout (one second more) may not exceed.
  @Max(298, { message: 'HTTP_KEEP_ALIVE_SECONDS must be at most 298' })
  HTTP_KEEP_ALIVE_SECONDS?: number;

  @IsOptional() @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 characters of A-Z a-z 0-9 : _ -' })
  QUEUE_PREFIX?: string;

  /** Days activity entries, webhook delivery records and orphaned webhook events are kept. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'RETENTION_DAYS must be a positive whole number of days' })
  @Min(1, { message: 'RETENTION_DAYS must be a positive whole number of days' }) @Max(36_500)
  RETENTION_DAYS?: number;

  /** Days finished (done) jobs and Idempotency-Keys are kept. */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'JOB_RETENTION_DAYS must be a positive whole number of days' })
  @Min(1, { message: 'JOB_RETENTION_DAYS must be a positive whole number of days' }) @Max(36_500)
  JOB_RETENTION_DAYS?: number;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'PRUNE_INTERVAL_SECONDS must be a positive whole number of seconds' })
  @Min(1, { message: 'PRUNE_INTERVAL_SECONDS must be a positive whole number of seconds' }) @Max(604_800)
  PRUNE_INTERVAL_SECONDS?: number;

  /** Hosts the Jira client may reach: names, *.domain, IP addresses, CIDR ranges; empty = any host. */
  @IsOptional() @Validate(HostAllowListConstraint)
  JIRA_ALLOWED_HOSTS?: string;

  /** Reverse proxies allowed to set X-Forwarded-For/-Proto: a hop count or addresses/ranges; empty = none. */
  @IsOptional() @Validate(TrustProxyConstraint)
  TRUST_PROXY?: string;
}
