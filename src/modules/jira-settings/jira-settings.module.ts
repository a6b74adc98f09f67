import { Module } from '@nestjs/common';
import { SecretBox } from '@app/common/crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ActivityModule } from '@app/modules/activity/activity.module';
import { InteractiveJiraClients } from '@app/modules/jira/interactive-jira-client';
import { JiraModule } from '@app/modules/jira/jira.module';
import { ProjectsModule } from '@app/modules/projects/projects.module';
import { CredentialsHealthService } from './credentials/credentials-health.service';
import { CredentialsProbe } from './credentials/credentials-probe';
import { JiraIntegrationService } from './jira-integration.service';
import { JiraSettingsController } from './jira-settings.controller';
import { ResolutionCheckService } from './resolution-check.service';
import { SecretProblemLog } from './secrets/secret-problem-log';
import { DeleteJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/delete-jira-settings.use-case';
import { GetJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/get-jira-settings.use-case';
import { PutJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/put-jira-settings.use-case';
import { RotateWebhookSecretUseCase } from '@app/modules/jira-settings/use-cases/rotate-webhook-secret.use-case';
import { JiraWebhookService } from './jira-webhook.service';
import { DeleteJiraWebhookUseCase } from '@app/modules/jira-settings/use-cases/delete-jira-webhook.use-case';
import { RegisterJiraWebhookUseCase } from '@app/modules/jira-settings/use-cases/register-jira-webhook.use-case';

/** Jira integration settings: storage (secrets encrypted), the admin API, and the read side for other modules. */
@Module({
  imports: [ProjectsModule, JiraModule, ActivityModule],
  controllers: [JiraSettingsController],
  providers: [
    JiraIntegrationService,
    SecretProblemLog,
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SecretBox(c.encryptionKey, c.previousEncryptionKeys) },
    PutJiraSettingsUseCase,
    GetJiraSettingsUseCase,
    DeleteJiraSettingsUseCase,
    RotateWebhookSecretUseCase,
    InteractiveJiraClients,
    JiraWebhookService,
    RegisterJiraWebhookUseCase,
    DeleteJiraWebhookUseCase,
    CredentialsHealthService,
    CredentialsProbe,
    ResolutionCheckService,
  ],
  exports: [
    JiraIntegrationService, CredentialsHealthService, SecretBox, SecretProblemLog, GetJiraSettingsUseCase, PutJiraSettingsUseCase,
    RotateWebhookSecretUseCase, JiraWebhookService, RegisterJiraWebhookUseCase, DeleteJiraWebhookUseCase,
  ],
})
export class JiraSettingsModule {}
