import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox, generateToken } from '@app/common/crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { inTransaction } from '@app/database/transaction';
import { OutboxService } from '@app/queue/outbox.service';
import { badRequest } from '@app/common/errors/domain-error';
import { EgressGuard, normalizeApiUrl } from '@app/modules/jira/client';
import { CredentialsHealthService } from '@app/modules/jira-settings/credentials/credentials-health.service';
import { assertStoredSecretUsable } from '@app/modules/jira-settings/domain/auth-secret-plan';
import { WEBHOOK_SECRET_PREFIX } from '@app/modules/jira-settings/domain/limits';
import { toStoredSettings } from '@app/modules/jira-settings/domain/to-stored-settings';
import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { JiraIntegrationService, tokenAad, webhookAad } from '@app/modules/jira-settings/jira-integration.service';
import { toSettingsResponse } from '@app/modules/jira-settings/jira-settings.mapper';
import { ResolutionCheckService } from '@app/modules/jira-settings/resolution-check.service';
import { lockProject } from './lock-project';

/**
 * Creates or replaces a project's Jira integration. Secrets are encrypted with
 * the row's project id as associated data; a PUT without the API token / PAT
 * keeps the stored one (same auth type and Jira site only). The webhook secret
 * is generated on creation and shown in that response only.
 */
@Injectable()
export class PutJiraSettingsUseCase {
  private readonly logger = new Logger('JiraSettings');

  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: JiraIntegrationRepository,
    private readonly box: SecretBox,
    private readonly integrations: JiraIntegrationService,
    private readonly egress: EgressGuard,
    private readonly credentials: CredentialsHealthService,
    private readonly outbox: OutboxService,
    private readonly resolutions: ResolutionCheckService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(key: string, dto: PutJiraSettingsDto): Promise<JiraSettingsResponseDto> {
    const apiUrl = normalizeApiUrl(dto.apiUrl); // the DTO has checked it already
    // SSRF guard: a host the Jira client would refuse is refused here already (the client checks again).
    const refusal = this.egress.refusalFor(apiUrl);
    if (refusal) throw badRequest('JIRA_HOST_REFUSED', `apiUrl is refused: ${refusal}`, 'apiUrl');
    const settings = toStoredSettings(dto);
    const { type } = dto.auth;
    const authUser = type === 'basic' ? (dto.auth.email ?? dto.auth.username ?? '') : null;
    const secret = type === 'basic' ? dto.auth.apiToken : dto.auth.token;
    const auth = type === 'bearer' ? { type } : { type, email: authUser ?? '' };
    await this.resolutions.assertKnown(key, { apiUrl, auth, statusMapping: settings.statusMapping }, secret);

    const { row, webhookSecret } = await inTransaction(this.dataSource, async (m) => {
      const projectId = await lockProject(this.rows, m, key);
      const existing = await this.rows.findByProject(projectId, m);
      if (secret === undefined) assertStoredSecretUsable(type, apiUrl, existing);

      const row = existing ?? this.rows.create({ projectId, revision: 0, flavour: null, lastResyncAt: null });
      // The cached deployment type belongs to a site and credentials: detect it again when they change.
      const connectionChanged =
        !existing || existing.apiUrl !== apiUrl || existing.authType !== type || existing.authUser !== authUser || secret !== undefined;
      let webhookSecret: string | undefined;
      if (!existing) {
        webhookSecret = generateToken(WEBHOOK_SECRET_PREFIX);
        row.webhookSecretEnc = this.box.encrypt(webhookSecret, webhookAad(projectId));
      }
      if (secret !== undefined) row.authSecretEnc = this.box.encrypt(secret, tokenAad(projectId));
      row.apiUrl = apiUrl;
      row.authType = type;
      row.authUser = authUser;
      row.settings = settings as unknown as Record<string, unknown>;
      row.revision += 1;
      if (connectionChanged) {
        row.flavour = null;
        row.siteUrl = null;
        // New credentials (or a new site): whether they work is for the next Jira call to say; the jobs waiting
        // for working credentials try them now.
        row.credentialsFailingSince = null;
        row.credentialsMessage = null;
      }
      const saved = await this.rows.save(m, row);
      if (connectionChanged && existing) await this.credentials.wake(m, projectId);
      return { row: saved, webhookSecret };
    });
    this.outbox.kick();

    this.logger.log({ msg: webhookSecret ? 'jira integration created' : 'jira integration replaced', project: key, revision: row.revision });
    // A kept token that cannot be decrypted is shown as not set, with why: saving does not make it readable.
    const webhook = { publicUrl: this.config.publicUrl, projectKey: key, secret: webhookSecret };
    return toSettingsResponse(this.integrations.settingsOf(row), webhook, this.integrations.secretProblems(row), this.integrations.healthOf(row));
  }
}
