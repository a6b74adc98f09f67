import { Injectable, OnModuleInit } from '@nestjs/common';
import { ErrorGroupEntity } from '../../../database/entities';
import { JobRegistry } from '../../../queue/job-registry';
import { ActivityService } from '../../activity/activity.service';

declare module '../../../queue/job-types' {
  interface JobPayloads {
    'group.created': { groupId: string; fingerprint: string };
  }
}

/**
 * Records a new group in the activity log. It runs through the outbox like every
 * side effect, and writes its entry in the same transaction that marks the job
 * done, so a retry never writes it twice.
 */
@Injectable()
export class GroupCreatedJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly activity: ActivityService,
  ) {}

  onModuleInit(): void {
    this.registry.register('group.created', async (payload, ctx) => {
      await ctx.complete(async (m) => {
        const group = await m.getRepository(ErrorGroupEntity).findOne({ where: { id: payload.groupId } });
        if (!group) return; // deleted with its project meanwhile
        await this.activity.record(m, {
          projectId: group.projectId,
          fingerprint: group.fingerprint,
          kind: 'group.created',
          source: 'worker',
          detail: `New group: ${group.title}`,
        });
      });
    });
  }
}
