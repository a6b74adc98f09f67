import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '@app/common/crypto';
import { JiraIntegrationEntity } from '@app/database/entities';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { JiraClient, JiraConnection, siteUrlFromApiUrl } from '@app/modules/jira/client';
import { FactoryClientOptions, JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { CredentialsHealth, JiraIntegration, JiraSettings, settingsWithDefaults, StoredJiraSettings } from './jira-settings';
import { SecretProblemLog } from './secrets/secret-problem-log';
import { openSecret, SecretUnreadableError } from './secrets/secret-problem';

/** Why each stored secret cannot be decrypted; a member is absent when its secret reads fine. */
export interface SecretProblems {
  token?: string;
  webhook?: string;
}

/** A saved integration whose token may be unreadable (Test connection needs it only when the body has none). */
export type SavedIntegration = Omit<JiraIntegration, 'secret'> & { secret: string | SecretUnreadableError };

/** Additional data bound into each ciphertext, so a secret cannot be moved to another row or column. */
export const tokenAad = (projectId: string) => `jira:${projectId}:auth`;
export const webhookAad = (projectId: string) => `jira:${projectId}:webhook`;

/** Read side of the Jira integration settings, for the modules that act on them. */
@Injectable()
export class JiraIntegrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: JiraIntegrationRepository,
    private readonly box: SecretBox,
    private readonly problems: SecretProblemLog,
  ) {}

  /**
   * The integration with its decrypted token. A token that cannot be decrypted throws
   * SecretUnreadableError (409; permanent for jobs) and is noted in the activity log.
   */
  async find(projectId: string, m: EntityManager = this.dataSource.manager, source: 'api' | 'worker' = 'worker'): Promise<JiraIntegration | null> {
    const found = await this.findSaved(projectId, m);
    if (found?.secret instanceof SecretUnreadableError) {
      await this.problems.note(projectId, 'token', found.secret.problem, source);
      throw found.secret;
    }
    return found as JiraIntegration | null;
  }

  /** As find, but an unreadable token is returned as its error instead of thrown. */
  async findSaved(projectId: string, m: EntityManager = this.dataSource.manager): Promise<SavedIntegration | null> {
    const row = await this.rows.findByProject(projectId, m);
    return row ? this.toDomain(row) : null;
  }

  /** Tries to decrypt each stored secret (the plaintexts are dropped), for the settings shown to admins. */
  secretProblems(row: JiraIntegrationEntity): SecretProblems {
    const { token, webhook } = this.openSecrets(row);
    return { token: 'problem' in token ? token.problem : undefined, webhook: 'problem' in webhook ? webhook.problem : undefined };
  }

  private openSecrets(row: JiraIntegrationEntity) {
    return {
      token: openSecret(this.box, row.authSecretEnc, tokenAad(row.projectId), 'token'),
      webhook: openSecret(this.box, row.webhookSecretEnc, webhookAad(row.projectId), 'webhook'),
    };
  }

  /** Settings without decrypting secrets (for rules evaluated on every ingest). */
  async findSettings(projectId: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<StoredJiraSettings | null> {
    const row = await this.rows.findSettings(projectId, m, lock);
    return row ? settingsWithDefaults(row.settings) : null;
  }

  private toDomain(row: JiraIntegrationEntity): SavedIntegration {
    // An unreadable webhook secret concerns the webhook intake only, not the code that calls Jira.
    const { token, webhook } = this.openSecrets(row);
    return {
      projectId: row.projectId,
      settings: this.settingsOf(row),
      secret: 'value' in token ? token.value : new SecretUnreadableError('token', token.problem),
      webhookSecret: 'value' in webhook ? webhook.value : null,
      flavour: row.flavour,
      revision: row.revision,
      lastResyncAt: row.lastResyncAt,
      siteUrl: row.siteUrl,
    };
  }

  /** The credentials state of a row, as the settings show it. */
  healthOf(row: JiraIntegrationEntity): CredentialsHealth {
    if (!row.credentialsFailingSince) return { credentials: 'ok' };
    return { credentials: 'failing', since: new Date(row.credentialsFailingSince).toISOString(), message: row.credentialsMessage ?? 'Jira refused the stored credentials' };
  }

  /** Remembers the site's own address when it differs from apiUrl's (scoped tokens reach Jira through a gateway). */
  async rememberSiteUrl(integration: JiraIntegration, siteUrl: string): Promise<void> {
    if (siteUrl !== integration.siteUrl && siteUrl !== siteUrlFromApiUrl(integration.settings.apiUrl)) {
      await this.rows.saveSiteUrl(integration.projectId, integration.revision, siteUrl);
    }
  }

  /** The settings of a row without decrypting anything (the admin API shows them without secrets). */
  settingsOf(row: JiraIntegrationEntity): JiraSettings {
    return {
      ...settingsWithDefaults(row.settings),
      apiUrl: row.apiUrl,
      auth: row.authType === 'basic' ? { type: 'basic', email: row.authUser ?? '' } : { type: 'bearer' },
    };
  }

  /** Remembers the detected deployment type, so later clients skip /serverInfo. */
  async saveFlavour(projectId: string, flavour: 'cloud' | 'datacenter'): Promise<void> {
    await this.rows.saveFlavour(projectId, flavour);
  }
}

/** The client connection for an integration (settings may be unsaved, for Test connection). */
export function connectionOf(settings: Pick<JiraSettings, 'apiUrl' | 'auth'>, secret: string, flavour?: 'cloud' | 'datacenter' | null): JiraConnection {
  const auth =
    settings.auth.type === 'bearer'
      ? { type: 'bearer' as const, token: secret }
      : settings.auth.email.includes('@')
        ? { type: 'basic' as const, email: settings.auth.email, apiToken: secret }
        : { type: 'basic' as const, username: settings.auth.email, apiToken: secret };
  return { apiUrl: settings.apiUrl, auth, flavour: flavour ?? undefined };
}

/**
 * The Jira client of a stored integration: built once per revision of its settings (JiraClientFactory.forIntegration),
 * or, with `options`, a client of its own with them.
 */
export function integrationClient(clients: JiraClientFactory, integration: JiraIntegration, options?: FactoryClientOptions): JiraClient {
  const connection = () => connectionOf(integration.settings, integration.secret, integration.flavour);
  return options ? clients.forIntegrationWith(integration, connection(), options) : clients.forIntegration(integration, connection);
}
