import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pgQuery } from '@app/database/pg-query';

export const SIGN_IN_LIMIT = { failures: 10, windowSeconds: 60 };

/** Seconds until the address may try again (0: now), from its current window. */
const RETRY_AFTER = `
SELECT CASE WHEN failures >= $2 AND window_ends_at > now() THEN ceil(extract(epoch FROM window_ends_at - now()))::int ELSE 0 END AS wait
  FROM sign_in_failures WHERE address = $1`;

/** Counts a failure in the address's window (a new one when the last has ended) and drops ended windows. */
const RECORD_FAILURE = `
WITH ended AS (
  DELETE FROM sign_in_failures WHERE window_ends_at < now() - interval '1 minute' AND address <> $1
)
INSERT INTO sign_in_failures AS f (address, failures, window_ends_at) VALUES ($1, 1, now() + make_interval(secs => $2))
ON CONFLICT (address) DO UPDATE SET
  failures = CASE WHEN f.window_ends_at > now() THEN f.failures + 1 ELSE 1 END,
  window_ends_at = CASE WHEN f.window_ends_at > now() THEN f.window_ends_at ELSE EXCLUDED.window_ends_at END`;

/**
 * Failed UI sign-ins per client address, in fixed one-minute windows kept in the database,
 * so every API process counts the same failures. Only wrong tokens count: the point is to
 * stop guessing, not to lock out an admin who signs in often.
 */
@Injectable()
export class SignInLimiter {
  constructor(private readonly dataSource: DataSource) {}

  /** Seconds until this address may try again, or 0 when it may now. */
  async retryAfter(address: string): Promise<number> {
    const [row] = await pgQuery<{ wait: number }>(this.dataSource.manager, { text: RETRY_AFTER }, [address, SIGN_IN_LIMIT.failures]);
    return row?.wait ?? 0;
  }

  async recordFailure(address: string): Promise<void> {
    await pgQuery(this.dataSource.manager, { text: RECORD_FAILURE }, [address, SIGN_IN_LIMIT.windowSeconds]);
  }
}
