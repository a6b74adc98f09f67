import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';
import { ErrorGroupEntity } from '@app/database/entities';

/** Group look-ups shared by the ingestion use-cases and later modules. */
@Injectable()
export class GroupsService {
  constructor(private readonly dataSource: DataSource) {}

  async get(projectId: string, fingerprint: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<ErrorGroupEntity> {
    const qb = m
      .getRepository(ErrorGroupEntity)
      .createQueryBuilder('g')
      .where('g.project_id = :projectId AND g.fingerprint = :fingerprint', { projectId, fingerprint });
    if (lock) qb.setLock('pessimistic_write');
    const group = await qb.getOne();
    if (!group) throw notFound('GROUP_NOT_FOUND', `group '${fingerprint}' not found`);
    return group;
  }
}
