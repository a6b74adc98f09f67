import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A row of `webhook_rejections`: the project's webhook deliveries refused for a wrong secret. */
export interface WebhookRejectionRow {
  project_id: string;
  rejected: string;
  first_at: Date;
  last_at: Date;
}

/** One refused delivery: where it came from and why; never what it presented. */
export interface RejectedDelivery {
  projectId: string;
  address: string;
  reason: string;
}

/** Counts a rejection; the project's row stays locked until the transaction ends. */
const COUNT = `
INSERT INTO webhook_rejections AS r (project_id, rejected, first_at, last_at) VALUES ($1, 1, now(), now())
ON CONFLICT (project_id) DO UPDATE SET rejected = r.rejected + 1, last_at = now()
RETURNING r.rejected::text AS rejected, r.first_at AS "firstAt"`;

/**
 * Writes the rejection to the activity log and drops the project's older `webhook.rejected`
 * entries past $6, stamped when it took its turn (not when its transaction began), so that the
 * log lists rejections in the counter's order. $1 project id, $2 reason, $3 source address, $4 count so far, $5 first rejection, $6 entries kept.
 */
const SAMPLE = `
WITH pruned AS (
  DELETE FROM activity WHERE id IN (
    SELECT id FROM activity WHERE project_id = $1 AND kind = 'webhook.rejected' ORDER BY id DESC OFFSET $6::int - 1
  )
)
INSERT INTO activity (project_id, at, kind, source, detail, data)
VALUES ($1, clock_timestamp(), 'webhook.rejected', 'jira', $2::text || ' (from ' || $3::text || '; rejected deliveries so far: ' || $4::text || ')',
        jsonb_build_object('address', $3::text, 'rejected', $4::bigint, 'firstRejectedAt', $5::timestamptz))`;

/** Webhook deliveries refused for a wrong secret: a counter per project and a bounded sample in the activity log. */
@Injectable()
export class WebhookRejectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Counts the rejection and keeps it among the project's `keep` latest `webhook.rejected`
   * activity entries. The counter's row lock makes a project's rejections take turns, so the
   * sample statement (a later snapshot) sees every earlier entry and never keeps more than `keep`.
   */
  async record(r: RejectedDelivery, keep: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [count]: Array<{ rejected: string; firstAt: Date }> = await m.query(COUNT, [r.projectId]);
      await m.query(SAMPLE, [r.projectId, r.reason, r.address, count.rejected, count.firstAt, keep]);
    });
  }
}
