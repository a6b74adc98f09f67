import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox, generateToken } from '@app/common/crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { inTransaction } from '@app/database/transaction';
import { WEBHOOK_SECRET_PREFIX } from '@app/modules/jira-settings/domain/limits';
import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { JiraIntegrationService, webhookAad } from '@app/modules/jira-settings/jira-integration.service';
import { toSettingsResponse } from '@app/modules/jira-settings/jira-settings.mapper';
import { integrationNotFound, lockProject } from './lock-project';

/** A new webhook secret, shown once in the response; the old one stops working at once. */
@Injectable()
export class RotateWebhookSecretUseCase {
  private readonly logger = new Logger('JiraSettings');

  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: JiraIntegrationRepository,
    private readonly box: SecretBox,
    private readonly integrations: JiraIntegrationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(key: string): Promise<JiraSettingsResponseDto> {
    const secret = generateToken(WEBHOOK_SECRET_PREFIX);
    const row = await inTransaction(this.dataSource, async (m) => {
      const projectId = await lockProject(this.rows, m, key);
      const row = await this.rows.findByProject(projectId, m);
      if (!row) throw integrationNotFound(key);
      row.webhookSecretEnc = this.box.encrypt(secret, webhookAad(projectId));
      row.revision += 1;
      return this.rows.save(m, row);
    });
    this.logger.log({ msg: 'jira webhook secret rotated', project: key, revision: row.revision });
    const problems = this.integrations.secretProblems(row);
    return toSettingsResponse(this.integrations.settingsOf(row), { publicUrl: this.config.publicUrl, projectKey: key, secret }, problems, this.integrations.healthOf(row));
  }
}
