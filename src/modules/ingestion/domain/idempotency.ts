import { unprocessable } from '@app/common/errors/domain-error';
import { StoredIdempotentResponse } from '@app/database/repositories/idempotency-key.repository';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/**
 * The response to replay for a repeated Idempotency-Key (IdempotencyKeyRepository.claim found
 * one stored); a key reused with a different body is refused.
 */
export function replayOf(stored: StoredIdempotentResponse, bodyHash: string): StoredResponse {
  if (stored.bodyHash !== bodyHash) {
    throw unprocessable('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was already used with a different body', 'Idempotency-Key');
  }
  return { statusCode: stored.statusCode, body: stored.body };
}
