import { SecretBox } from '@app/common/crypto';
import { LRUCache } from 'lru-cache';
import { WebhookEventRepository } from '@app/database/repositories/webhook-event.repository';
import { webhookAad } from '@app/modules/jira-settings/jira-integration.service';
import { openSecret } from '@app/modules/jira-settings/secrets/secret-problem';

/** What a webhook delivery to /webhooks/jira/{projectKey} is checked against. */
export interface WebhookTarget {
  projectId: string;
  /** null: the project has no Jira integration. */
  secret: string | null;
  /** The stored ciphertext of `secret`: the intake statement writes only while it is still the stored one. */
  secretEnc: string | null;
  /** Set when the stored secret cannot be decrypted (e.g. ENCRYPTION_KEY changed): no delivery can be verified. */
  secretProblem?: string;
}

const TTL_MS = 5 * 60_000;

/**
 * Project key → project id and decrypted webhook secret, remembered so that a delivery
 * costs no look-up and no decryption. Only a hint: the intake statement writes nothing
 * unless the integration still holds the same ciphertext (ReceiveWebhookUseCase), so a
 * rotated secret, a deleted integration or a deleted project take effect at once.
 */
export class WebhookTargets {
  private readonly entries = new LRUCache<string, WebhookTarget>({ max: 1_000, ttl: TTL_MS });

  constructor(
    private readonly events: WebhookEventRepository,
    private readonly box: SecretBox,
  ) {}

  remembered(projectKey: string): WebhookTarget | undefined {
    return this.entries.get(projectKey);
  }

  /** From the database (and remembered); undefined when there is no such project. */
  async load(projectKey: string): Promise<WebhookTarget | undefined> {
    const row = await this.events.findTarget(projectKey);
    if (!row) {
      this.entries.delete(projectKey);
      return undefined;
    }
    const opened = row.secretEnc === null ? null : openSecret(this.box, row.secretEnc, webhookAad(row.projectId), 'webhook');
    const target: WebhookTarget = {
      projectId: row.projectId,
      secret: opened && 'value' in opened ? opened.value : null,
      secretEnc: row.secretEnc,
      secretProblem: opened && 'problem' in opened ? opened.problem : undefined,
    };
    // Only a readable secret is remembered: an integration created (or a secret rotated) later must be seen at once.
    if (target.secret === null) {
      this.entries.delete(projectKey);
      return target;
    }
    this.entries.set(projectKey, target);
    return target;
  }

  forget(projectKey: string): void {
    this.entries.delete(projectKey);
  }
}
