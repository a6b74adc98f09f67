import { Module } from '@nestjs/common';
import { AuthGuard } from '@app/modules/projects/auth/auth.guard';
import { BearerFailureLimiter } from '@app/modules/projects/auth/bearer-failure-limiter';
import { BearerTokens } from '@app/modules/projects/auth/bearer-tokens';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';
import { CreateProjectUseCase } from '@app/modules/projects/use-cases/create-project.use-case';
import { DeleteProjectUseCase } from '@app/modules/projects/use-cases/delete-project.use-case';
import { RotateIngestTokenUseCase } from '@app/modules/projects/use-cases/rotate-ingest-token.use-case';

@Module({
  controllers: [ProjectsController],
  providers: [
    ProjectsService,
    CreateProjectUseCase,
    RotateIngestTokenUseCase,
    DeleteProjectUseCase,
    AuthGuard,
    BearerTokens,
    BearerFailureLimiter,
  ],
  exports: [ProjectsService, AuthGuard, BearerTokens, CreateProjectUseCase, RotateIngestTokenUseCase, DeleteProjectUseCase],
})
export class ProjectsModule {}
