import { Module } from '@nestjs/common';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { ChangesController } from './changes.controller';
import { ListChangesUseCase } from './use-cases/list-changes.use-case';

@Module({
  imports: [ProjectsModule],
  controllers: [ChangesController],
  providers: [ListChangesUseCase],
})
export class ChangesModule {}
