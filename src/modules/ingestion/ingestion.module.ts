import { Module } from '@nestjs/common';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { RegressionModule } from '@app/modules/regression/regression.module';
import { SyncModule } from '@app/modules/sync/sync.module';
import { TicketsModule } from '@app/modules/tickets/tickets.module';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';
import { IngestEndpoint } from './ingest-endpoint';
import { BulkUpdateGroupsUseCase } from '@app/modules/ingestion/use-cases/bulk-update-groups.use-case';
import { GetGroupOccurrencesUseCase } from '@app/modules/ingestion/use-cases/get-group-occurrences.use-case';
import { GetGroupUseCase } from '@app/modules/ingestion/use-cases/get-group.use-case';
import { IngestGroupsUseCase } from '@app/modules/ingestion/use-cases/ingest-groups.use-case';
import { ListGroupsUseCase } from '@app/modules/ingestion/use-cases/list-groups.use-case';
import { UpdateGroupUseCase } from '@app/modules/ingestion/use-cases/update-group.use-case';

@Module({
  imports: [ProjectsModule, ActivityModule, TicketsModule, SyncModule, RegressionModule],
  controllers: [GroupsController],
  providers: [GroupsService, IngestEndpoint, IngestGroupsUseCase, ListGroupsUseCase, GetGroupUseCase, UpdateGroupUseCase, BulkUpdateGroupsUseCase, GetGroupOccurrencesUseCase],
  exports: [GroupsService, ListGroupsUseCase, GetGroupUseCase, GetGroupOccurrencesUseCase, UpdateGroupUseCase, BulkUpdateGroupsUseCase],
})
export class IngestionModule {}
