import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';
import { ErrorGroupEntity } from '@app/database/entities';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';

/** Group look-ups shared by the ingestion use-cases and later modules. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
  ) {}

  async get(projectId: string, fingerprint: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<ErrorGroupEntity> {
    const group = await this.groups.findByFingerprint(projectId, fingerprint, m, lock);
    if (!group) throw notFound('GROUP_NOT_FOUND', `group '${fingerprint}' not found`);
    return group;
  }
}
