import { Module } from '@nestjs/common';
import { SecretBox } from '../../common/crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ProjectsModule } from '../projects/projects.module';
import { JiraIntegrationService } from './jira-integration.service';

/** Jira integration settings: storage (secrets encrypted), the admin API, and the read side for other modules. */
@Module({
  imports: [ProjectsModule],
  providers: [
    JiraIntegrationService,
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SecretBox(c.encryptionKey) },
  ],
  exports: [JiraIntegrationService, SecretBox],
})
export class SettingsModule {}
