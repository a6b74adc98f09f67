import { Module } from '@nestjs/common';
import { SecretBox } from '@app/common/crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { JiraModule } from '@app/modules/jira/jira.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { CredentialsHealthService } from './credentials/credentials-health.service';
import { CredentialsProbe } from './credentials/credentials-probe';
import { JiraIntegrationService } from './jira-integration.service';
import { JiraSettingsController } from './jira-settings.controller';
import { DeleteJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/delete-jira-settings.use-case';
import { GetJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/get-jira-settings.use-case';
import { PutJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/put-jira-settings.use-case';
import { RotateWebhookSecretUseCase } from '@app/modules/jira-settings/use-cases/rotate-webhook-secret.use-case';

/** Jira integration settings: storage (secrets encrypted), the admin API, and the read side for other modules. */
@Module({
  imports: [ProjectsModule, JiraModule],
  controllers: [JiraSettingsController],
  providers: [
    JiraIntegrationService,
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SecretBox(c.encryptionKey, c.previousEncryptionKeys) },
    PutJiraSettingsUseCase,
    GetJiraSettingsUseCase,
    DeleteJiraSettingsUseCase,
    RotateWebhookSecretUseCase,
    CredentialsHealthService,
    CredentialsProbe,
  ],
  exports: [JiraIntegrationService, CredentialsHealthService, SecretBox, GetJiraSettingsUseCase, PutJiraSettingsUseCase, RotateWebhookSecretUseCase],
})
export class JiraSettingsModule {}
