import { EntityManager } from 'typeorm';
import { unprocessable } from '@app/common/errors/domain-error';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/**
 * Claims an Idempotency-Key inside the ingest transaction. Returns the stored
 * response for a repeat, or null when this request owns the key. A concurrent
 * request with the same key waits on the primary key until the first commits.
 * Keys expire after 24 h.
 */
export async function claimIdempotencyKey(m: EntityManager, projectId: string, key: string, bodyHash: string): Promise<StoredResponse | null> {
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
  if (row.body_hash !== bodyHash) {
    throw unprocessable('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was already used with a different body', 'Idempotency-Key');
  }
  return { statusCode: row.status_code, body: row.response };
}

export async function storeIdempotentResponse(m: EntityManager, projectId: string, key: string, res: StoredResponse): Promise<void> {
  await m.query(`UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE project_id = $1 AND key = $2`, [
    projectId,
    key,
    res.statusCode,
    JSON.stringify(res.body),
  ]);
}
