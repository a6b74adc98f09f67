import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@app/common/crypto';
import { endOfCommit, FeedPosition, GroupChangeRepository } from '@app/database/repositories/group-change.repository';
import { NewDeliveryAttempt, NotificationRepository, NotificationSettingsRow, PendingEvent } from '@app/database/repositories/notification.repository';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { PermanentJobError } from '@app/queue/job-errors';
import { OutboxService } from '@app/queue/outbox.service';
import { eventBody, notificationSecretAad } from '@app/modules/notifications/notification-event';
import { NotificationSender } from './notification-sender';

const BATCH = 500;
/** Groups sent to at once; a group's own events go one after the other. */
const CONCURRENCY = 16;
/** A run hands over to a fresh job after this long, so one busy project does not hold a worker. */
const RUN_BUDGET_MS = 10_000;
/** An event that keeps failing is given up after this long (then the group's next event goes). */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 5 * 60 * 1000;

export const deliverJobKey = (projectId: string) => `notifications.deliver:${projectId}`;

/**
 * Walks the project's change feed from the receiver's progress and POSTs each subscribed change. Groups are sent side
 * by side, each group's events in feed order; a failed event stops its group until it is delivered or, after
 * GIVE_UP_AFTER_MS, given up. The progress moves past a change only when it and every change before it is settled, and
 * an event delivered beyond a failed one is not sent again (its attempt says so).
 */
@Injectable()
@JobHandler('notifications.deliver')
export class DeliverNotificationsJob implements HandlesJob<'notifications.deliver'> {
  constructor(
    private readonly settings: NotificationRepository,
    private readonly changes: GroupChangeRepository,
    private readonly sender: NotificationSender,
    private readonly box: SecretBox,
    private readonly outbox: OutboxService,
    private readonly dataSource: DataSource,
  ) {}

  async handle({ projectId }: JobPayloads['notifications.deliver'], ctx: JobContext): Promise<void> {
    const deadline = Date.now() + RUN_BUDGET_MS;
    while (Date.now() < deadline) {
      const s = await this.settings.find(projectId);
      if (!s) return;
      let secret: string;
      try {
        secret = this.box.decrypt(s.secretEnc, notificationSecretAad(projectId));
      } catch (err) {
        throw new PermanentJobError(`the notification secret cannot be decrypted (${(err as Error).message}); save it again`);
      }
      const head = await this.changes.head(projectId);
      const events = await this.settings.pending(projectId, s.delivered, s.events, BATCH);
      const { attempts, blockedFailures } = await this.deliver(s, secret, events);
      await this.settings.recordAttempts(projectId, attempts);
      const settledThrough = this.settledPrefix(events, attempts);
      const reachedEnd = events.length < BATCH && blockedFailures === null;
      // At the end of the feed, every change up to the head read before the batch was in it (numbers are given in commit order).
      const progress = reachedEnd ? endOfCommit(head) : settledThrough;
      if (progress) await this.settings.advance(projectId, progress);
      if (blockedFailures !== null) return this.retryLater(ctx, projectId, blockedFailures);
      if (reachedEnd) return;
    }
    // Out of time with more to send: a fresh job goes on at once.
    await ctx.releaseDedupe();
    await this.outbox.enqueue(this.dataSource.manager, { kind: 'notifications.deliver', projectId, payload: { projectId }, dedupeKey: deliverJobKey(projectId) });
    this.outbox.kick();
  }

  /** Sends the batch group by group; returns the attempts and, when a group is stuck, the fewest failures of a stuck event. */
  private async deliver(s: NotificationSettingsRow, secret: string, events: PendingEvent[]): Promise<{ attempts: NewDeliveryAttempt[]; blockedFailures: number | null }> {
    const byGroup = new Map<string, PendingEvent[]>();
    for (const e of events) if (!e.settled) byGroup.set(e.fingerprint, [...(byGroup.get(e.fingerprint) ?? []), e]);
    const queues = [...byGroup.values()];
    const attempts: NewDeliveryAttempt[] = [];
    let blockedFailures: number | null = null;
    const worker = async () => {
      for (let chain = queues.shift(); chain; chain = queues.shift()) {
        for (const e of chain) {
          const r = await this.sender.send(s.url, secret, eventBody(s.projectKey, e));
          const givingUp = !r.ok && e.firstFailureAt !== null && Date.now() - e.firstFailureAt.getTime() >= GIVE_UP_AFTER_MS;
          const outcome = r.ok ? 'delivered' : givingUp ? 'given_up' : 'failed';
          attempts.push({ changeId: e.id, deliveryId: r.deliveryId, type: e.type, fingerprint: e.fingerprint, outcome, httpStatus: r.httpStatus, error: r.error });
          if (outcome === 'failed') {
            blockedFailures = Math.min(blockedFailures ?? Infinity, e.failures + 1);
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queues.length) }, worker));
    return { attempts, blockedFailures };
  }

  /** The last change of the batch before the first one still unsettled (null: none settled). */
  private settledPrefix(events: PendingEvent[], attempts: NewDeliveryAttempt[]): FeedPosition | null {
    const settledNow = new Set(attempts.filter((a) => a.outcome !== 'failed').map((a) => a.changeId));
    let last: FeedPosition | null = null;
    for (const e of events) {
      if (!e.settled && !settledNow.has(e.id)) break;
      last = { seq: e.seq, id: e.id };
    }
    return last;
  }

  /** Backs off (doubling from RETRY_BASE_MS up to RETRY_MAX_MS) with a job of its own, queued under the same key. */
  private async retryLater(ctx: JobContext, projectId: string, failures: number): Promise<void> {
    const delayMs = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(20, failures - 1));
    await ctx.releaseDedupe();
    await this.outbox.enqueue(this.dataSource.manager, { kind: 'notifications.deliver', projectId, payload: { projectId }, dedupeKey: deliverJobKey(projectId), delayMs });
  }
}
