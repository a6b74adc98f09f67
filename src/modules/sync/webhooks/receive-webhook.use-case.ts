import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { safeEqualString, verifyHubSignature } from '../../../common/crypto';
import { DomainError, notFound } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transaction';
import { OutboxService } from '../../../queue/outbox.service';
import { ActivityService } from '../../activity/activity.service';
import { ProjectsService } from '../../projects/projects.service';
import { JiraIntegrationService } from '../../settings/jira-integration.service';
import { parseJiraWebhook } from '../inbound/parse-webhook';

export interface WebhookDelivery {
  projectKey: string;
  rawBody: Buffer | undefined;
  body: unknown;
  querySecret?: string;
  signature?: string;
  identifier?: string;
}

export type WebhookResult = { status: 'accepted' | 'duplicate' } | { status: 'ignored'; reason: string };

/** Rejected payloads kept for debugging, per project (older ones are dropped). */
const KEPT_REJECTED_PAYLOADS = 20;
const KEPT_PAYLOAD_CHARS = 10_000;

const unauthorized = () => new DomainError('WEBHOOK_UNAUTHORIZED', HttpStatus.UNAUTHORIZED, 'webhook secret or signature is missing or wrong');

/**
 * Verifies a Jira webhook (X-Hub-Signature HMAC over the raw body, or ?secret=),
 * records it once (by X-Atlassian-Webhook-Identifier, else issue + event time),
 * and queues it: the answer is fast and the change applies in a job.
 */
@Injectable()
export class ReceiveWebhookUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    private readonly outbox: OutboxService,
    private readonly activity: ActivityService,
  ) {}

  async execute(d: WebhookDelivery): Promise<WebhookResult> {
    const project = await this.projects.getByKey(d.projectKey);
    const integration = await this.integrations.find(project.id);
    if (!integration) throw notFound('INTEGRATION_NOT_FOUND', `project '${d.projectKey}' has no Jira integration`);
    if (!this.authentic(d, integration.webhookSecret)) {
      await this.activity.record(this.dataSource.manager, {
        projectId: project.id, kind: 'webhook.rejected', source: 'jira',
        detail: d.signature ? 'Webhook rejected: the X-Hub-Signature does not match the webhook secret' : 'Webhook rejected: missing or wrong secret',
      });
      throw unauthorized();
    }
    const parsed = parseJiraWebhook(d.body);
    if (!parsed.ok && parsed.reason.startsWith('unsupported event type')) {
      // Jira sends every event its webhook is subscribed to: acknowledge the ones we do not use.
      return { status: 'ignored', reason: parsed.reason };
    }
    if (!parsed.ok) {
      await this.keepRejected(project.id, parsed.reason, d.rawBody);
      throw new DomainError('WEBHOOK_UNSUPPORTED', HttpStatus.BAD_REQUEST, `webhook not applied: ${parsed.reason}`, 'body');
    }
    const change = parsed.change;
    const dedupeKey = d.identifier ? `id:${d.identifier}` : `event:${change.kind}:${change.issueId}:${change.timestamp}`;
    const result = await inTransaction(this.dataSource, async (m): Promise<WebhookResult> => {
      const fresh: unknown[] = await m.query(
        `INSERT INTO webhook_deliveries (project_id, dedupe_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING dedupe_key`,
        [project.id, dedupeKey.slice(0, 500)],
      );
      if (fresh.length === 0) return { status: 'duplicate' };
      await this.outbox.enqueue(m, { kind: 'jira.webhook', projectId: project.id, payload: { projectId: project.id, change } });
      return { status: 'accepted' };
    });
    if (result.status === 'accepted') this.outbox.kick();
    return result;
  }

  private authentic(d: WebhookDelivery, secret: string): boolean {
    if (d.signature !== undefined) return !!d.rawBody && verifyHubSignature(secret, d.rawBody, d.signature);
    return d.querySecret !== undefined && safeEqualString(d.querySecret, secret);
  }

  /** Keeps the last few unparseable payloads in the activity log, for whoever debugs the webhook setup. */
  private async keepRejected(projectId: string, reason: string, raw: Buffer | undefined): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      await this.activity.record(m, {
        projectId, kind: 'webhook.unparseable', source: 'jira', detail: `Webhook not applied: ${reason}`,
        data: { payload: raw ? raw.toString('utf8').slice(0, KEPT_PAYLOAD_CHARS) : null },
      });
      await m.query(
        `DELETE FROM activity WHERE project_id = $1 AND kind = 'webhook.unparseable'
           AND id NOT IN (SELECT id FROM activity WHERE project_id = $1 AND kind = 'webhook.unparseable' ORDER BY id DESC LIMIT $2)`,
        [projectId, KEPT_REJECTED_PAYLOADS],
      );
    });
  }
}
