import { EntityManager } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';

/**
 * The project's id, its row locked for the transaction. Every write to a project's
 * integration takes this lock first, so two first PUTs cannot both insert, and a
 * PUT and a rotation cannot interleave. NO KEY UPDATE: ingestion's foreign-key
 * checks on the project (KEY SHARE) are not blocked.
 */
export async function lockProject(m: EntityManager, key: string): Promise<string> {
  const rows: Array<{ id: string }> = await m.query('SELECT id FROM projects WHERE key = $1 FOR NO KEY UPDATE', [key]);
  if (!rows[0]) throw notFound('PROJECT_NOT_FOUND', `project '${key}' not found`);
  return String(rows[0].id);
}

export const integrationNotFound = (key: string) =>
  notFound('INTEGRATION_NOT_FOUND', `project '${key}' has no Jira integration`);
