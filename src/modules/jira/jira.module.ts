import { Module } from '@nestjs/common';
import { parseHostAllowList } from '@app/common/net/host-allow-list';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { EgressGuard } from '@app/modules/jira/client';
import { JiraClientFactory } from './jira-client.factory';

/** The Jira REST client (./client) as a NestJS provider. Knows nothing of groups or settings. */
@Module({
  providers: [
    JiraClientFactory,
    // One guard (and connection pool) for every client: JIRA_ALLOWED_HOSTS plus the always-refused addresses.
    { provide: EgressGuard, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new EgressGuard({ allowList: parseHostAllowList(c.jiraAllowedHosts.join(',')) }) },
  ],
  exports: [JiraClientFactory, EgressGuard],
})
export class JiraModule {}
