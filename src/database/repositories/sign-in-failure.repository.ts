import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pgQuery } from '@app/database/pg-query';

/** A row of `sign_in_failures`: sign-in attempts of one client address counted in its current window. */
export interface SignInFailureRow {
  address: string;
  failures: number;
  window_ends_at: Date;
}

/**
 * Counts an attempt in the address's window (a new one when the last has ended), drops ended
 * windows, and returns the new count with the seconds left in the window: one statement, so
 * parallel attempts each see their own count.
 */
const COUNT_ATTEMPT = `
WITH ended AS (
  DELETE FROM sign_in_failures WHERE window_ends_at < now() - interval '1 minute' AND address <> $1
)
INSERT INTO sign_in_failures AS f (address, failures, window_ends_at) VALUES ($1, 1, now() + make_interval(secs => $2))
ON CONFLICT (address) DO UPDATE SET
  failures = CASE WHEN f.window_ends_at > now() THEN f.failures + 1 ELSE 1 END,
  window_ends_at = CASE WHEN f.window_ends_at > now() THEN f.window_ends_at ELSE EXCLUDED.window_ends_at END
RETURNING failures, greatest(ceil(extract(epoch FROM window_ends_at - now())), 1)::int AS "secondsLeft"`;

/** Takes back an attempt that turned out to be a successful sign-in. */
const FORGIVE_ATTEMPT = `UPDATE sign_in_failures SET failures = failures - 1 WHERE address = $1 AND failures > 0`;

/** Fixed windows of sign-in attempts per address, shared by every API process. */
@Injectable()
export class SignInFailureRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Counts one attempt in the address's window of `windowSeconds`: its count now, and the window's seconds left. */
  async countAttempt(address: string, windowSeconds: number): Promise<{ failures: number; secondsLeft: number }> {
    const [row] = await pgQuery<{ failures: number; secondsLeft: number }>(this.dataSource.manager, { text: COUNT_ATTEMPT }, [address, windowSeconds]);
    return row;
  }

  async forgiveAttempt(address: string): Promise<void> {
    await pgQuery(this.dataSource.manager, { text: FORGIVE_ATTEMPT }, [address]);
  }
}
