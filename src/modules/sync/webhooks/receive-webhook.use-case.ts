import { createHash } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { safeEqualString, SecretBox, verifyHubSignature } from '@app/common/crypto';
import { DomainError, notFound } from '@app/common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ActivityRepository } from '@app/database/repositories/activity.repository';
import { WebhookEventRepository } from '@app/database/repositories/webhook-event.repository';
import { WebhookRejectionRepository } from '@app/database/repositories/webhook-rejection.repository';
import { inTransaction } from '@app/database/transaction';
import { OutboxService } from '@app/queue/outbox.service';
import { ActivityService } from '@app/modules/activity/activity.service';
import { SecretProblemLog } from '@app/modules/jira-settings/secrets/secret-problem-log';
import { parseJiraWebhook } from '@app/modules/sync/inbound/parse-webhook';
import { WebhookEventStore } from './webhook-events';
import { WebhookRejections } from './webhook-rejections';
import { WebhookTarget, WebhookTargets } from './webhook-targets';

export interface WebhookDelivery {
  projectKey: string;
  rawBody: Buffer | undefined;
  body: unknown;
  querySecret?: string;
  signature?: string;
  identifier?: string;
  /**
   * The client's address (Express's req.ip, through TRUST_PROXY): what refusals are counted against. A function:
   * only a delivery that is looked up or refused needs it, and working it out costs every delivery something.
   */
  address(): string;
}

export type WebhookResult = { status: 'accepted' | 'duplicate' } | { status: 'ignored'; reason: string };

/** Rejected payloads kept for debugging, per project (older ones are dropped). */
const KEPT_REJECTED_PAYLOADS = 20;
const KEPT_PAYLOAD_CHARS = 10_000;

const unauthorized = () => new DomainError('WEBHOOK_UNAUTHORIZED', HttpStatus.UNAUTHORIZED, 'webhook secret or signature is missing or wrong');
/** One answer for an unknown project and a project without Jira, so that it tells neither apart. */
const noWebhook = () => notFound('WEBHOOK_NOT_FOUND', 'no Jira webhook at this address');

/**
 * Verifies a Jira webhook (X-Hub-Signature HMAC over the raw body, or ?secret=),
 * records it once (by X-Atlassian-Webhook-Identifier, else issue + event time, and by the
 * body's SHA-256: the identifier is not signed), and queues it: the answer is fast and the
 * change applies in a job. Refusals are counted, not logged one by one (WebhookRejections).
 *
 * The hot path is an HMAC with a remembered secret and one statement, shared with the
 * project's concurrent deliveries (WebhookEventStore.record), that writes only if that
 * secret is still the stored one.
 */
@Injectable()
export class ReceiveWebhookUseCase {
  private readonly events: WebhookEventStore;
  private readonly targets: WebhookTargets;
  private readonly rejections: WebhookRejections;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly activity: ActivityService,
    private readonly activityRows: ActivityRepository,
    events: WebhookEventRepository,
    rejections: WebhookRejectionRepository,
    box: SecretBox,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly secretProblems: SecretProblemLog,
  ) {
    this.events = new WebhookEventStore(events);
    this.targets = new WebhookTargets(events, box);
    this.rejections = new WebhookRejections(rejections, config.webhookRejectionsPerMinute);
  }

  async execute(d: WebhookDelivery): Promise<WebhookResult> {
    let target = this.targets.remembered(d.projectKey);
    // A remembered secret that does not verify may have been rotated: read it again before refusing.
    if (!target || !this.authentic(d, target.secret)) target = await this.verifiedTarget(d);
    const parsed = parseJiraWebhook(d.body);
    if (!parsed.ok && parsed.ignore) {
      // Jira sends every event its webhook is subscribed to: acknowledge the ones we do not use.
      return { status: 'ignored', reason: parsed.reason };
    }
    if (!parsed.ok) {
      await this.keepRejected(target.projectId, parsed.reason, d.rawBody);
      throw new DomainError('WEBHOOK_UNSUPPORTED', HttpStatus.BAD_REQUEST, `webhook not applied: ${parsed.reason}`, 'body');
    }
    const change = parsed.change;
    const dedupeKey = (d.identifier ? `id:${d.identifier}` : `event:${change.kind}:${change.issueId}:${change.timestamp}`).slice(0, 500);
    const bodySha256 = createHash('sha256').update(d.rawBody ?? JSON.stringify(d.body ?? null)).digest('hex');
    const delivery = { dedupeKey, bodySha256, change };
    let r = await this.events.record({ projectId: target.projectId, secretEnc: target.secretEnc!, ...delivery });
    if (!r.authentic) {
      // The secret changed (or the integration or project went) since it was read: check again, once.
      this.targets.forget(d.projectKey);
      target = await this.verifiedTarget(d);
      r = await this.events.record({ projectId: target.projectId, secretEnc: target.secretEnc!, ...delivery });
      if (!r.authentic) throw unauthorized();
    }
    if (r.queued) this.outbox.kick();
    return { status: r.fresh ? 'accepted' : 'duplicate' };
  }

  /**
   * The project's target read from the database, after the delivery proved it knows its secret
   * (else 404/401; 429 without a look-up while the source is over its limit of refusals).
   */
  private async verifiedTarget(d: WebhookDelivery): Promise<WebhookTarget> {
    this.rejections.refuseWhileLimited(d.address());
    const target = await this.targets.load(d.projectKey);
    if (target?.secretProblem !== undefined) {
      // Nothing can be verified: refused as unauthenticated, and told to the activity log once an hour.
      await this.secretProblems.note(target.projectId, 'webhook', target.secretProblem, 'jira');
      throw unauthorized();
    }
    if (!target || target.secret === null) {
      this.rejections.noWebhook(d.address());
      throw noWebhook();
    }
    if (!this.authentic(d, target.secret)) {
      const reason = d.signature ? 'Webhook rejected: the X-Hub-Signature does not match the webhook secret' : 'Webhook rejected: missing or wrong secret';
      await this.rejections.wrongSecret(target.projectId, d.address(), reason);
      throw unauthorized();
    }
    return target;
  }

  private authentic(d: WebhookDelivery, secret: string | null): boolean {
    if (secret === null) return false;
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
      await this.activityRows.pruneUnparseableWebhooks(m, projectId, KEPT_REJECTED_PAYLOADS);
    });
  }
}
