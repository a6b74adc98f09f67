import { HttpStatus } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
import { WebhookRejectionRepository } from '@app/database/repositories/webhook-rejection.repository';
import { RejectionLimiter } from './rejection-limiter';

/** `webhook.rejected` activity entries kept per project: a sample of the latest, next to the count of all. */
export const KEPT_REJECTIONS = 20;

/** 429: the source sent too many refused deliveries; the controller turns `retryAfterSeconds` into Retry-After. */
export class WebhookRateLimited extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('WEBHOOK_RATE_LIMITED', HttpStatus.TOO_MANY_REQUESTS, `too many refused webhook deliveries from this address: retry in ${retryAfterSeconds} s`);
  }
}

/**
 * Refused webhook deliveries. A wrong secret is counted per project and sampled into the
 * activity log (bounded); any refusal counts against its source address, which past its limit
 * is answered 429 before the database is asked anything.
 */
export class WebhookRejections {
  private readonly limiter: RejectionLimiter;

  constructor(
    private readonly rows: WebhookRejectionRepository,
    perMinute: number,
  ) {
    this.limiter = new RejectionLimiter(perMinute);
  }

  /** Throws WebhookRateLimited while `address` is over its limit. */
  refuseWhileLimited(address: string): void {
    const wait = this.limiter.retryAfter(address);
    if (wait > 0) throw new WebhookRateLimited(wait);
  }

  /** A delivery to no webhook (unknown project or no integration): nothing is stored, for either. */
  noWebhook(address: string): void {
    this.limiter.reject(address);
  }

  /** A delivery with a wrong or missing secret for the project's webhook. */
  async wrongSecret(projectId: string, address: string, reason: string): Promise<void> {
    this.limiter.reject(address);
    await this.rows.record({ projectId, address, reason }, KEPT_REJECTIONS);
  }
}
