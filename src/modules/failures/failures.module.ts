import { Module } from '@nestjs/common';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { FailuresController } from './failures.controller';
import { FailuresService } from './failures.service';
import { RetryAllFailuresUseCase } from './retry-all-failures.use-case';
import { RetryFailureUseCase } from './retry-failure.use-case';

/** Failed work (outbox rows a job gave up on): the list, and retrying it. The UI's Failures page uses the same. */
@Module({
  imports: [ProjectsModule, ActivityModule],
  controllers: [FailuresController],
  providers: [FailuresService, RetryFailureUseCase, RetryAllFailuresUseCase],
  exports: [FailuresService, RetryFailureUseCase, RetryAllFailuresUseCase],
})
export class FailuresModule {}
