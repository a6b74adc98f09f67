import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The response stored under an Idempotency-Key, with the hash of the body it answered. */
export interface StoredIdempotentResponse {
  bodyHash: string;
  statusCode: number;
  body: unknown;
}

/** idempotency_keys: one row per key and project, holding the response of the request that claimed it. */
@Injectable()
export class IdempotencyKeyRepository {
  /**
   * Claims the key inside the caller's transaction: null when this request now owns it,
   * else what is stored under it. A concurrent claim of the same key waits on the primary
   * key until the first commits. A key older than 24 h is taken over.
   */
  async claim(m: EntityManager, projectId: string, key: string, bodyHash: string): Promise<StoredIdempotentResponse | null> {
    await m.query(`DELETE FROM idempotency_keys WHERE project_id = $1 AND key = $2 AND created_at < now() - interval '24 hours'`, [projectId, key]);
    const inserted: unknown[] = await m.query(
      `INSERT INTO idempotency_keys (project_id, key, body_hash, status_code, response)
       VALUES ($1, $2, $3, 0, 'null') ON CONFLICT DO NOTHING RETURNING key`,
      [projectId, key, bodyHash],
    );
    if (inserted.length > 0) return null;
    const [row]: Array<{ body_hash: string; status_code: number; response: unknown }> = await m.query(
      `SELECT body_hash, status_code, response FROM idempotency_keys WHERE project_id = $1 AND key = $2`,
      [projectId, key],
    );
    return { bodyHash: row.body_hash, statusCode: row.status_code, body: row.response };
  }

  async storeResponse(m: EntityManager, projectId: string, key: string, statusCode: number, body: unknown): Promise<void> {
    await m.query(`UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE project_id = $1 AND key = $2`, [
      projectId,
      key,
      statusCode,
      JSON.stringify(body),
    ]);
  }
}
