import { Module } from '@nestjs/common';
import { JiraClientFactory } from './jira-client.factory';

/** The Jira REST client (./client) as a NestJS provider. Knows nothing of groups or settings. */
@Module({
  providers: [JiraClientFactory],
  exports: [JiraClientFactory],
})
export class JiraModule {}
