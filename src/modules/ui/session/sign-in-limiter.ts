import { Injectable } from '@nestjs/common';
import { SignInFailureRepository } from '@app/database/repositories/sign-in-failure.repository';

export const SIGN_IN_LIMIT = { failures: 10, windowSeconds: 60 };

/**
 * Failed UI sign-ins per client address, in fixed one-minute windows kept in the database,
 * so every API process counts the same failures. Each attempt is counted before its token is
 * checked (one statement that increments and returns the count), so parallel attempts cannot all
 * pass a check made before any of them failed; a right token then takes its count back: the point
 * is to stop guessing, not to lock out an admin who signs in often.
 */
@Injectable()
export class SignInLimiter {
  constructor(private readonly failures: SignInFailureRepository) {}

  /** Counts an attempt from this address: seconds until it may try again (refused now), or 0 (go on). */
  async claimAttempt(address: string): Promise<number> {
    const { failures, secondsLeft } = await this.failures.countAttempt(address, SIGN_IN_LIMIT.windowSeconds);
    return failures > SIGN_IN_LIMIT.failures ? secondsLeft : 0;
  }

  /** The attempt signed in: it does not count. */
  async forgive(address: string): Promise<void> {
    await this.failures.forgiveAttempt(address);
  }
}
