import { JiraAuthResponseDto, JiraSettingsResponseDto, JiraWebhookResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { CredentialsHealth, JiraSettings } from './jira-settings';
import { SecretProblems } from './jira-integration.service';

/** Where Jira posts this project's webhooks (the route of the inbound sync). */
export const webhookUrl = (publicUrl: string, projectKey: string) => `${publicUrl}/webhooks/jira/${encodeURIComponent(projectKey)}`;

/**
 * Settings → response body. Built member by member from the non-secret settings,
 * so nothing secret can slip in; the webhook secret only when the caller passes
 * it (first PUT, rotation). A stored secret that cannot be decrypted shows as not set, with why.
 */
export function toSettingsResponse(
  settings: JiraSettings,
  webhook: { publicUrl: string; projectKey: string; secret?: string },
  problems: SecretProblems = {},
  health: CredentialsHealth = { credentials: 'ok' },
): JiraSettingsResponseDto {
  const token = problems.token === undefined ? { tokenSet: true } : { tokenSet: false, tokenProblem: problems.token };
  const auth: JiraAuthResponseDto =
    settings.auth.type === 'basic' ? { type: 'basic', email: settings.auth.email, ...token } : { type: 'bearer', ...token };
  const url = webhookUrl(webhook.publicUrl, webhook.projectKey);
  const hook: JiraWebhookResponseDto = webhook.secret === undefined
    ? { url }
    : { url, secret: webhook.secret, urlWithSecret: `${url}?secret=${encodeURIComponent(webhook.secret)}` };
  if (webhook.secret === undefined && problems.webhook !== undefined) hook.secretProblem = problems.webhook;
  return {
    enabled: settings.enabled,
    apiUrl: settings.apiUrl,
    auth,
    projectKey: settings.projectKey,
    issueType: settings.issueType,
    subject: settings.subject,
    labels: settings.labels,
    description: settings.description,
    fieldMapping: settings.fieldMapping,
    customFields: settings.customFields,
    sync: settings.sync,
    statusMapping: settings.statusMapping,
    userMapping: settings.userMapping,
    autoMapUsersByEmail: settings.autoMapUsersByEmail,
    fixVersionSync: settings.fixVersionSync,
    regression: settings.regression,
    createRules: settings.createRules,
    routes: settings.routes,
    valueMaps: settings.valueMaps,
    versions: settings.versions,
    comments: settings.comments,
    updates: settings.updates,
    webhook: hook,
    health,
  };
}
