import { EntityManager } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';
import { ErrorGroupEntity } from '@app/database/entities';

/** Loads a group of a project, locked for the caller's transaction. */
export async function lockGroup(m: EntityManager, projectId: string, fingerprint: string): Promise<ErrorGroupEntity> {
  const group = await m
    .getRepository(ErrorGroupEntity)
    .createQueryBuilder('g')
    .setLock('pessimistic_write')
    .where('g.project_id = :projectId AND g.fingerprint = :fingerprint', { projectId, fingerprint })
    .getOne();
  if (!group) throw notFound('GROUP_NOT_FOUND', `group '${fingerprint}' not found`);
  return group;
}
