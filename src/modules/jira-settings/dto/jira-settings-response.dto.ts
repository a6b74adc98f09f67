import { CredentialsHealth, StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';
import { JiraWebhookHealthDto } from './jira-webhook.dto';

export class JiraAuthResponseDto {
  type: 'basic' | 'bearer';
  /** Basic auth: the email or username. */
  email?: string;
  /** True when a secret is stored and can be read. The secret itself is write-only. */
  tokenSet: boolean;
  /** Only when the stored secret cannot be decrypted (tokenSet false): why, and what to do. */
  tokenProblem?: string;
}

/** Where Jira posts; in the settings GET also the webhook's health (Partial: PUT and rotation answers leave it out). */
export class JiraWebhookResponseDto implements Partial<JiraWebhookHealthDto> {
  /** Register this in Jira (Cloud: with the secret as the webhook's secret, for X-Hub-Signature). */
  url: string;
  /** Only in the first PUT's response and on rotation. */
  secret?: string;
  /** `url?secret=...`, for Jira Data Center, which cannot sign webhooks. Shown with `secret` only. */
  urlWithSecret?: string;
  /** Only when the stored webhook secret cannot be decrypted (webhooks answer 401): why, and what to do. */
  secretProblem?: string;
  registered?: boolean;
  id?: string;
  lastDeliveryAt?: string | null;
  deliveries24h?: number;
  warning?: string;
}

/** GET / PUT response: all settings with defaults filled in, never the API token or PAT. */
export class JiraSettingsResponseDto implements StoredJiraSettings {
  enabled: boolean;
  apiUrl: string;
  auth: JiraAuthResponseDto;
  projectKey: string;
  issueType: string;
  subject: string;
  labels: string;
  /** Empty → the built-in default description template. */
  description: string;
  fieldMapping: StoredJiraSettings['fieldMapping'];
  customFields: StoredJiraSettings['customFields'];
  sync: StoredJiraSettings['sync'];
  statusMapping: StoredJiraSettings['statusMapping'];
  userMapping: StoredJiraSettings['userMapping'];
  autoMapUsersByEmail: boolean;
  fixVersionSync: StoredJiraSettings['fixVersionSync'];
  regression: StoredJiraSettings['regression'];
  createRules: StoredJiraSettings['createRules'];
  routes: StoredJiraSettings['routes'];
  valueMaps: StoredJiraSettings['valueMaps'];
  versions: StoredJiraSettings['versions'];
  webhook: JiraWebhookResponseDto;
  /** `{credentials: 'ok'}`, or `'failing'` with since when and why: Jira refuses the stored token, jobs wait. */
  health: CredentialsHealth;
}
