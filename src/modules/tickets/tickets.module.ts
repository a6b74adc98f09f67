import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { JiraModule } from '../jira/jira.module';
import { ProjectsModule } from '../projects/projects.module';
import { SettingsModule } from '../settings/settings.module';
import { CreateTicketJob } from './creation/create-ticket.job';
import { TicketRulesService } from './creation/ticket-rules.service';
import { LinkExistingIssueUseCase } from './linking/link-existing-issue.use-case';
import { LinkedIssuesService } from './linking/linked-issues.service';
import { RequestTicketUseCase } from './linking/request-ticket.use-case';
import { UnlinkTicketUseCase } from './linking/unlink-ticket.use-case';
import { FieldMetadataService } from './metadata/field-metadata.service';
import { ConnectionTestController } from './connection-test/connection-test.controller';
import { InteractiveJiraClients } from './connection-test/interactive-jira-client';
import { RunConnectionTestUseCase } from './connection-test/run-connection-test.use-case';
import { PreviewController } from './preview/preview.controller';
import { PreviewIssueUseCase } from './preview/preview-issue.use-case';
import { TicketsController } from './tickets.controller';

/** Jira tickets from templates: creation (exactly once), linking, test connection and preview. */
@Module({
  imports: [ProjectsModule, ActivityModule, SettingsModule, JiraModule],
  controllers: [TicketsController, ConnectionTestController, PreviewController],
  providers: [
    FieldMetadataService,
    InteractiveJiraClients,
    RunConnectionTestUseCase,
    PreviewIssueUseCase,
    LinkedIssuesService,
    TicketRulesService,
    CreateTicketJob,
    RequestTicketUseCase,
    LinkExistingIssueUseCase,
    UnlinkTicketUseCase,
  ],
  exports: [TicketRulesService, LinkedIssuesService, RunConnectionTestUseCase, PreviewIssueUseCase, RequestTicketUseCase, LinkExistingIssueUseCase],
})
export class TicketsModule {}
