import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pgQuery } from '@app/database/pg-query';

/** A row of `sign_in_failures`: failed UI sign-ins of one client address in its current window. */
export interface SignInFailureRow {
  address: string;
  failures: number;
  window_ends_at: Date;
}

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

/** Fixed windows of failed sign-ins per address, shared by every API process. */
@Injectable()
export class SignInFailureRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Seconds until the address may try again when it has `maxFailures` in a live window, else 0. */
  async secondsUntilRetry(address: string, maxFailures: number): Promise<number> {
    const [row] = await pgQuery<{ wait: number }>(this.dataSource.manager, { text: RETRY_AFTER }, [address, maxFailures]);
    return row?.wait ?? 0;
  }

  /** Counts one failure in the address's window of `windowSeconds`. */
  async recordFailure(address: string, windowSeconds: number): Promise<void> {
    await pgQuery(this.dataSource.manager, { text: RECORD_FAILURE }, [address, windowSeconds]);
  }
}
