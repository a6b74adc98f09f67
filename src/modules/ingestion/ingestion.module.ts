import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ProjectsModule } from '../projects/projects.module';
import { RegressionModule } from '../regression/regression.module';
import { SyncModule } from '../sync/sync.module';
import { TicketsModule } from '../tickets/tickets.module';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';
import { IngestEndpoint } from './ingest-endpoint';
import { IngestGroupsUseCase } from './use-cases/ingest-groups.use-case';
import { ListGroupsUseCase } from './use-cases/list-groups.use-case';
import { UpdateGroupUseCase } from './use-cases/update-group.use-case';

@Module({
  imports: [ProjectsModule, ActivityModule, TicketsModule, SyncModule, RegressionModule],
  controllers: [GroupsController],
  providers: [GroupsService, IngestEndpoint, IngestGroupsUseCase, ListGroupsUseCase, UpdateGroupUseCase],
  exports: [GroupsService, ListGroupsUseCase, UpdateGroupUseCase],
})
export class IngestionModule {}
