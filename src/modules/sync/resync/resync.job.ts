import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob } from '@app/queue/job-types';
import { ActivityService } from '@app/modules/activity/activity.service';
import { classifyJiraFailure, permissionRefusalActivity } from '@app/modules/tickets/creation/jira-failure';
import { ResyncService } from './resync.service';

/** Reconciles one project's linked issues (queued by ResyncScheduler, or by a resync on demand). */
@Injectable()
@JobHandler('jira.resync')
export class ResyncJob implements HandlesJob<'jira.resync'> {
  constructor(
    private readonly resync: ResyncService,
    private readonly dataSource: DataSource,
    private readonly activity: ActivityService,
  ) {}

  async handle({ projectId }: JobPayloads['jira.resync']): Promise<void> {
    try {
      await this.resync.run(projectId);
    } catch (err) {
      const refused = permissionRefusalActivity(err, { projectId });
      if (refused) await this.activity.record(this.dataSource.manager, refused);
      throw classifyJiraFailure(err);
    }
  }
}
