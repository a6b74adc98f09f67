import { Injectable } from '@nestjs/common';
import { SignInFailureRepository } from '@app/database/repositories/sign-in-failure.repository';

export const SIGN_IN_LIMIT = { failures: 10, windowSeconds: 60 };

/**
 * Failed UI sign-ins per client address, in fixed one-minute windows kept in the database,
 * so every API process counts the same failures. Only wrong tokens count: the point is to
 * stop guessing, not to lock out an admin who signs in often.
 */
@Injectable()
export class SignInLimiter {
  constructor(private readonly failures: SignInFailureRepository) {}

  /** Seconds until this address may try again, or 0 when it may now. */
  async retryAfter(address: string): Promise<number> {
    return this.failures.secondsUntilRetry(address, SIGN_IN_LIMIT.failures);
  }

  async recordFailure(address: string): Promise<void> {
    await this.failures.recordFailure(address, SIGN_IN_LIMIT.windowSeconds);
  }
}
