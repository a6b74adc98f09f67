import { ApiProperty } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common/errors/error-response.dto';
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
  @ApiProperty({ description: "Jira's id of the webhook" })
  id: string;
  @ApiProperty({ description: "The webhook in Jira's API" })
  self: string;
  /** Without the secret, which Data Center's registration carries as `?secret=`. */
  @ApiProperty({ description: 'Where Jira posts (without the secret)' })
  url: string;
  @ApiProperty({ type: [String] })
  events: string[];
  @ApiProperty()
  jql: string;
  /** false: the webhook already registered was kept as it was. */
  @ApiProperty({ description: 'false: the webhook already registered was kept as it was' })
  created: boolean;
}

export class ManualWebhookStepsDto implements ManualWebhookSteps {
  @ApiProperty({ description: 'The address to register' })
  url: string;
  @ApiProperty({ type: [String] })
  events: string[];
  @ApiProperty()
  jql: string;
  @ApiProperty({ description: 'How to give Jira the webhook secret' })
  secret: string;
  @ApiProperty({ type: [String] })
  steps: string[];
}

/** The 403 answer when Jira refuses the admin webhook API: the error body plus what to do by hand. */
export class WebhookNeedsAdminBody extends ErrorResponseDto {
  @ApiProperty({ enum: ['JIRA_WEBHOOK_FORBIDDEN'] })
  declare code: 'JIRA_WEBHOOK_FORBIDDEN';
  @ApiProperty({ type: ManualWebhookStepsDto, description: 'What to register in Jira by hand' })
  manualSteps: ManualWebhookSteps;
}
