import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../../../queue/job-registry';
import { JiraIntegrationService } from '../../settings/jira-integration.service';
import { ApplyJiraChangeService } from './apply-jira-change.service';
import { JiraChange } from './jira-change';

declare module '../../../queue/job-types' {
  interface JobPayloads {
    /** A verified, de-duplicated Jira webhook event, to apply to the linked groups. */
    'jira.webhook': { projectId: string; change: JiraChange };
  }
}

/** Applies accepted webhook events; the change and the job's completion commit together. */
@Injectable()
export class JiraWebhookJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly integrations: JiraIntegrationService,
    private readonly applier: ApplyJiraChangeService,
  ) {}

  onModuleInit(): void {
    this.registry.register('jira.webhook', async ({ projectId, change }, ctx) => {
      await ctx.complete(async (m) => {
        const settings = await this.integrations.findSettings(projectId, m);
        await this.applier.apply(m, projectId, change, settings, 'jira');
      });
    });
  }
}
