import { HttpStatus, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DomainError, badRequest } from '@app/common/errors/domain-error';
import { MetricsService, WebhookHealthSample } from '@app/common/metrics/metrics.service';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { JiraWebhookHealthRow, JiraWebhookRepository } from '@app/database/repositories/jira-webhook.repository';
import { EgressGuard, JiraClient, JiraWebhook, isJiraError } from '@app/modules/jira/client';
import { InteractiveJiraClients } from '@app/modules/jira/interactive-jira-client';
import {
  ManualWebhookSteps, UNEXPLAINED_RESYNCS_WARNING, isOurs, manualSteps, sameAsSpec, specFingerprint, webhookSpec,
} from '@app/modules/jira-settings/domain/jira-webhook-spec';
import { jiraProjectKeys } from '@app/modules/jira-settings/domain/jira-projects';
import { JiraWebhookHealthDto, RegisteredWebhookDto } from '@app/modules/jira-settings/dto/jira-webhook.dto';
import { JiraIntegration } from './jira-settings';
import { connectionOf } from './jira-integration.service';
import { webhookUrl } from './jira-settings.mapper';
import { SecretUnreadableError } from './secrets/secret-problem';

/** Jira refused the admin webhook API (no "Administer Jira"): the answer carries the manual steps. */
export class WebhookNeedsAdminError extends DomainError {
  constructor(
    message: string,
    readonly manualSteps: ManualWebhookSteps,
  ) {
    super('JIRA_WEBHOOK_FORBIDDEN', HttpStatus.FORBIDDEN, message);
  }
}

/**
 * The webhook the bridge registers in Jira for an integration (admin webhook API), and its
 * health: deliveries, and whether reconciliation keeps finding changes no webhook brought.
 */
@Injectable()
export class JiraWebhookService implements OnModuleInit {
  private readonly logger = new Logger('JiraWebhook');

  constructor(
    private readonly rows: JiraWebhookRepository,
    private readonly clients: InteractiveJiraClients,
    private readonly egress: EgressGuard,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.metrics.webhookHealthSource = async () => (await this.rows.healthOfAll()).map((h) => this.sample(h));
  }

  /** Registers the webhook, or keeps the one already there when it is as wanted; leaves exactly one of ours. */
  async register(integration: JiraIntegration, projectKey: string): Promise<RegisteredWebhookDto> {
    const client = this.clientFor(integration);
    const url = webhookUrl(this.config.publicUrl, projectKey);
    const stored = await this.rows.findRegistration(integration.projectId);
    const secret = integration.webhookSecret;
    // Jira would be given a webhook whose deliveries this service cannot verify.
    if (secret === null) throw new SecretUnreadableError('webhook', 'rotate the webhook secret, then register again');
    return this.jiraCall(integration, url, 'register', async () => {
      const flavour = await client.flavour();
      const spec = webhookSpec({ flavour, url, jiraProjectKeys: jiraProjectKeys(integration.settings), projectKey, secret });
      const fingerprint = specFingerprint(spec);
      const ours = (await client.listWebhooks()).filter((w) => isOurs(w, url) || w.id === stored?.jiraId);
      // Cloud never shows the secret back: a webhook counts as current only if we registered it with this secret.
      let keep: JiraWebhook | undefined = ours.find(
        (w) => sameAsSpec(w, spec) && (flavour === 'datacenter' || (w.id === stored?.jiraId && stored.fingerprint === fingerprint)),
      );
      for (const w of ours) if (w !== keep) await client.deleteWebhook(w.id);
      const created = !keep;
      keep ??= await client.createWebhook(spec);
      await this.rows.saveRegistration(integration.projectId, { jiraId: keep.id, self: keep.self, fingerprint });
      this.logger.log({ msg: created ? 'jira webhook registered' : 'jira webhook already registered', project: projectKey, id: keep.id, removed: ours.length - (created ? 0 : 1) });
      return { id: keep.id, self: keep.self, url, events: spec.events, jql: spec.jql, created };
    });
  }

  /** Removes our webhooks from Jira (the stored one and any other at our URL) and forgets the registration. */
  async unregister(integration: JiraIntegration, projectKey: string): Promise<number> {
    const client = this.clientFor(integration);
    const url = webhookUrl(this.config.publicUrl, projectKey);
    const stored = await this.rows.findRegistration(integration.projectId);
    return this.jiraCall(integration, url, 'remove', async () => {
      const ours = (await client.listWebhooks()).filter((w) => isOurs(w, url) || w.id === stored?.jiraId);
      for (const w of ours) await client.deleteWebhook(w.id);
      await this.rows.clearRegistration(integration.projectId);
      this.logger.log({ msg: 'jira webhook removed', project: projectKey, removed: ours.length });
      return ours.length;
    });
  }

  /**
   * Before the integration goes: removes the stored webhook from Jira; says which and why when it could not.
   * The integration is read (and its secret decrypted) only when there is a webhook to remove.
   */
  async removeStored(projectId: string, load: () => Promise<JiraIntegration | null>): Promise<{ id: string; reason: string } | null> {
    const stored = await this.rows.findRegistration(projectId);
    if (!stored) return null;
    try {
      const integration = await load();
      if (integration) await this.clientFor(integration).deleteWebhook(stored.jiraId);
      return null;
    } catch (err) {
      return { id: stored.jiraId, reason: (err as Error).message };
    }
  }

  async health(projectId: string): Promise<JiraWebhookHealthDto> {
    const h = await this.rows.health(projectId);
    if (!h) return { registered: false, lastDeliveryAt: null, deliveries24h: 0 };
    const warning = this.warningOf(h);
    return {
      registered: h.registration !== null,
      ...(h.registration ? { id: h.registration.jiraId } : {}),
      lastDeliveryAt: h.lastDeliveryAt?.toISOString() ?? null,
      deliveries24h: h.deliveries24h,
      ...(warning ? { warning } : {}),
    };
  }

  private warningOf(h: JiraWebhookHealthRow): string | undefined {
    if (h.unexplainedResyncs < UNEXPLAINED_RESYNCS_WARNING) return undefined;
    return (
      `The last ${h.unexplainedResyncs} reconciliations found changes in Jira that no webhook brought ` +
      `(since ${h.unexplainedSince?.toISOString() ?? 'unknown'}): the Jira webhook is missing or misconfigured ` +
      `(URL, events, JQL filter or secret). Register it again, or check it in Jira (System → WebHooks).`
    );
  }

  private sample(h: JiraWebhookHealthRow): WebhookHealthSample {
    return {
      project: h.projectKey,
      registered: h.registration !== null,
      lastDeliveryAt: h.lastDeliveryAt,
      deliveries24h: h.deliveries24h,
      warning: h.unexplainedResyncs >= UNEXPLAINED_RESYNCS_WARNING,
    };
  }

  private clientFor(integration: JiraIntegration): JiraClient {
    const refusal = this.egress.refusalFor(integration.settings.apiUrl);
    if (refusal) throw badRequest('JIRA_HOST_REFUSED', `apiUrl is refused: ${refusal}`, 'apiUrl');
    return this.clients.create(connectionOf(integration.settings, integration.secret, integration.flavour));
  }

  /** Jira's refusals as answers: no admin rights → 403 with the manual steps; anything else → 502 with Jira's message. */
  private async jiraCall<T>(integration: JiraIntegration, url: string, action: 'register' | 'remove', work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!isJiraError(err)) throw err;
      if (err.kind === 'forbidden') {
        throw new WebhookNeedsAdminError(
          `Jira refused to manage webhooks for these credentials (${err.message}): that needs the "Administer Jira" global permission. ${action === 'register' ? 'Register' : 'Remove'} the webhook by hand (see manualSteps).`,
          manualSteps({ flavour: integration.flavour, url, jiraProjectKeys: jiraProjectKeys(integration.settings) }),
        );
      }
      if (err.kind === 'egress_denied') throw badRequest('JIRA_HOST_REFUSED', `apiUrl is refused: ${err.message}`, 'apiUrl');
      throw new DomainError('JIRA_WEBHOOK_FAILED', HttpStatus.BAD_GATEWAY, `Jira did not ${action} the webhook: ${err.message}`);
    }
  }
}
