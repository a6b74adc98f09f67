import type { ManualWebhookSteps } from '@app/modules/jira-settings/domain/jira-webhook-spec';

/** Webhook health, in the settings GET under `webhook`. */
export class JiraWebhookHealthDto {
  /** Whether the bridge registered the webhook in Jira (POST …/integrations/jira/webhook). */
  registered: boolean;
  /** Jira's id of the registered webhook. */
  id?: string;
  /** When the last delivery was accepted (ISO 8601), null when none was. */
  lastDeliveryAt: string | null;
  /** Deliveries accepted in the last 24 hours (repeats not counted). */
  deliveries24h: number;
  /** Set when reconciliation keeps finding changes that no webhook brought: the webhook is missing or misconfigured. */
  warning?: string;
}

/** POST …/integrations/jira/webhook: the webhook now registered in Jira. */
export class RegisteredWebhookDto {
  id: string;
  self: string;
  /** Without the secret, which Data Center's registration carries as `?secret=`. */
  url: string;
  events: string[];
  jql: string;
  /** false: the webhook already registered was kept as it was. */
  created: boolean;
}

/** The 403 answer when Jira refuses the admin webhook API: the error body plus what to do by hand. */
export interface WebhookNeedsAdminBody {
  statusCode: number;
  error: string;
  message: string[];
  code: 'JIRA_WEBHOOK_FORBIDDEN';
  manualSteps: ManualWebhookSteps;
}
