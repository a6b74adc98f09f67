import { EntityManager } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';
import { ErrorGroupEntity } from '@app/database/entities';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';

/** Loads a group of a project, locked for the caller's transaction. */
export async function lockGroup(groups: GroupQueryRepository, m: EntityManager, projectId: string, fingerprint: string): Promise<ErrorGroupEntity> {
  const group = await groups.findByFingerprint(projectId, fingerprint, m, true);
  if (!group) throw notFound('GROUP_NOT_FOUND', `group '${fingerprint}' not found`);
  return group;
}
