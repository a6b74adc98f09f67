import * as http from 'node:http';
import * as https from 'node:https';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hmacSha256Hex } from '@app/common/crypto';
import { EgressGuard } from '@app/modules/jira/client';

/** How one POST went: a 2xx is delivered; anything else (a status, no answer) is a failure to retry. */
export interface SendResult {
  deliveryId: string;
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
}

const TIMEOUT_MS = 10_000;

/** POSTs a signed event to the receiver through the Jira egress guard's pooled connections. */
@Injectable()
export class NotificationSender {
  constructor(private readonly egress: EgressGuard) {}

  async send(url: string, secret: string, body: Buffer): Promise<SendResult> {
    const deliveryId = randomUUID();
    const refusal = this.egress.refusalFor(url);
    if (refusal) return { deliveryId, ok: false, httpStatus: null, error: `url is refused: ${refusal}` };
    const target = new URL(url);
    const agent = target.protocol === 'https:' ? this.egress.pooled.httpsAgent : this.egress.pooled.httpAgent;
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
      'User-Agent': 'crashbridge',
      'X-Crashbridge-Signature': `sha256=${hmacSha256Hex(secret, body)}`,
      'X-Crashbridge-Delivery': deliveryId,
    };
    return new Promise<SendResult>((resolve) => {
      const request = (target.protocol === 'https:' ? https : http).request(target, { method: 'POST', agent, headers, timeout: TIMEOUT_MS }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          resolve({ deliveryId, ok, httpStatus: status, error: ok ? null : `receiver answered ${status}` });
        });
        res.on('error', (err) => resolve({ deliveryId, ok: false, httpStatus: res.statusCode ?? null, error: err.message }));
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      request.on('error', (err) => resolve({ deliveryId, ok: false, httpStatus: null, error: (err as NodeJS.ErrnoException).code ?? err.message }));
      request.end(body);
    });
  }
}
