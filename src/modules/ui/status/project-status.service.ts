import { Injectable } from '@nestjs/common';
import { HourlyCount, ProjectQueueNow, ResyncRun, StatusRepository } from '@app/database/repositories/status.repository';
import { JiraWebhookHealthDto } from '@app/modules/jira-settings/dto/jira-webhook.dto';
import { JiraWebhookService } from '@app/modules/jira-settings/jira-webhook.service';

/** How far back the status page looks. */
export const STATUS_HOURS = 24;

/** Everything the status page charts, read at one moment. */
export interface ProjectStatusData {
  now: Date;
  /** ticket.created and ticket.failed entries per hour. */
  tickets: HourlyCount[];
  webhookDeliveries: HourlyCount[];
  /** Jobs that failed for good per hour, by job kind. */
  failedJobs: HourlyCount[];
  queue: ProjectQueueNow;
  resyncs: ResyncRun[];
  /** Undefined: the project has no Jira integration. */
  credentials?: { failingSince: Date | null };
  webhook: JiraWebhookHealthDto;
}

/** Reads a project's last 24 h for the status page, from the database only (no Jira call). */
@Injectable()
export class ProjectStatusService {
  constructor(
    private readonly status: StatusRepository,
    private readonly webhooks: JiraWebhookService,
  ) {}

  async read(projectId: string): Promise<ProjectStatusData> {
    const now = new Date();
    const [tickets, webhookDeliveries, failedJobs, queue, resyncs, credentials, webhook] = await Promise.all([
      this.status.activityPerHour(projectId, ['ticket.created', 'ticket.failed'], STATUS_HOURS),
      this.status.webhookDeliveriesPerHour(projectId, STATUS_HOURS),
      this.status.failedJobsPerHour(projectId, STATUS_HOURS),
      this.status.projectQueue(projectId),
      this.status.resyncRuns(projectId, STATUS_HOURS),
      this.status.credentialsHealth(projectId),
      this.webhooks.health(projectId),
    ]);
    return { now, tickets, webhookDeliveries, failedJobs, queue, resyncs, credentials, webhook };
  }
}
