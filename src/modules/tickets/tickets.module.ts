import { Module } from '@nestjs/common';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { JiraModule } from '@app/modules/jira/jira.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { JiraSettingsModule } from '@app/modules/jira-settings/jira-settings.module';
import { AffectedVersionsService } from '@app/modules/tickets/creation/affected-versions/affected-versions.service';
import { CreateTicketJob } from '@app/modules/tickets/creation/create-ticket.job';
import { TicketRulesService } from '@app/modules/tickets/creation/ticket-rules.service';
import { LinkExistingIssueUseCase } from '@app/modules/tickets/linking/link-existing-issue.use-case';
import { LinkedIssuesService } from '@app/modules/tickets/linking/linked-issues.service';
import { RequestTicketUseCase } from '@app/modules/tickets/linking/request-ticket.use-case';
import { UnlinkTicketUseCase } from '@app/modules/tickets/linking/unlink-ticket.use-case';
import { FieldMetadataService } from '@app/modules/tickets/metadata/field-metadata.service';
import { ConnectionTestController } from '@app/modules/tickets/connection-test/connection-test.controller';
import { InteractiveJiraClients } from '@app/modules/jira/interactive-jira-client';
import { RunConnectionTestUseCase } from '@app/modules/tickets/connection-test/run-connection-test.use-case';
import { PreviewController } from '@app/modules/tickets/preview/preview.controller';
import { PreviewIssueUseCase } from '@app/modules/tickets/preview/preview-issue.use-case';
import { BackfillBatch } from '@app/modules/tickets/backfill/backfill-batch';
import { BackfillJob } from '@app/modules/tickets/backfill/backfill.job';
import { IssueFieldsBuilder } from '@app/modules/tickets/creation/issue-fields-builder';
import { JiraRunsController } from '@app/modules/tickets/backfill/jira-runs.controller';
import { RunProgressUseCase } from '@app/modules/tickets/backfill/run-progress.use-case';
import { RunSummary } from '@app/modules/tickets/backfill/run-summary';
import { RunJobRunner } from '@app/modules/tickets/backfill/run-job';
import { RunStarter } from '@app/modules/tickets/backfill/start-run';
import { StartBackfillUseCase } from '@app/modules/tickets/backfill/start-backfill.use-case';
import { ImportJob } from '@app/modules/tickets/import/import.job';
import { StartImportUseCase } from '@app/modules/tickets/import/start-import.use-case';
import { BacklinkJob } from '@app/modules/tickets/linking/backlink.job';
import { TicketsController } from './tickets.controller';

/** Jira tickets from templates: creation (exactly once), linking, test connection and preview. */
@Module({
  imports: [ProjectsModule, ActivityModule, JiraSettingsModule, JiraModule],
  controllers: [TicketsController, ConnectionTestController, PreviewController, JiraRunsController],
  providers: [
    FieldMetadataService,
    InteractiveJiraClients,
    RunConnectionTestUseCase,
    PreviewIssueUseCase,
    LinkedIssuesService,
    TicketRulesService,
    AffectedVersionsService,
    CreateTicketJob,
    RequestTicketUseCase,
    LinkExistingIssueUseCase,
    UnlinkTicketUseCase,
    IssueFieldsBuilder,
    BackfillBatch,
    BackfillJob,
    RunSummary,
    RunJobRunner,
    RunStarter,
    StartBackfillUseCase,
    RunProgressUseCase,
    StartImportUseCase,
    ImportJob,
    BacklinkJob,
  ],
  exports: [TicketRulesService, LinkedIssuesService, RunConnectionTestUseCase, PreviewIssueUseCase, RequestTicketUseCase, LinkExistingIssueUseCase, RunProgressUseCase, StartBackfillUseCase],
})
export class TicketsModule {}
