import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CredentialsHealth, StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';
import { JiraWebhookHealthDto } from './jira-webhook.dto';
import { CreateRulesDto, FixVersionSyncDto, RegressionDto, SyncDto } from './jira-behaviour.dto';
import { CustomFieldDto, FieldMappingDto, StatusMappingDto, UserMappingDto } from './jira-mappings.dto';
import { RouteDto } from './routes.dto';
import { VersionsDto } from './versions.dto';
import { CommentsSettingsDto } from './comments.dto';
import { UpdatesDto } from './updates.dto';

export class CredentialsHealthDto {
  @ApiProperty({ enum: ['ok', 'failing'] })
  credentials: 'ok' | 'failing';
  @ApiPropertyOptional({ format: 'date-time', description: 'failing: since when' })
  since?: string;
  @ApiPropertyOptional({ description: "failing: Jira's answer" })
  message?: string;
}

export class JiraAuthResponseDto {
  @ApiProperty({ enum: ['basic', 'bearer'] })
  type: 'basic' | 'bearer';
  /** Basic auth: the email or username. */
  @ApiPropertyOptional({ description: 'Basic auth: the email or username' })
  email?: string;
  /** True when a secret is stored and can be read. The secret itself is write-only. */
  @ApiProperty({ description: 'True when a secret is stored and can be read. The secret itself is write-only' })
  tokenSet: boolean;
  /** Only when the stored secret cannot be decrypted (tokenSet false): why, and what to do. */
  @ApiPropertyOptional({ description: 'Only when the stored secret cannot be decrypted: why, and what to do' })
  tokenProblem?: string;
}

/** Where Jira posts; in the settings GET also the webhook's health (Partial: PUT and rotation answers leave it out). */
export class JiraWebhookResponseDto implements Partial<JiraWebhookHealthDto> {
  /** Register this in Jira (Cloud: with the secret as the webhook's secret, for X-Hub-Signature). */
  @ApiProperty({ description: 'Register this in Jira' })
  url: string;
  /** Only in the first PUT's response and on rotation. */
  @ApiPropertyOptional({ description: 'Only in the first PUT\'s response and on rotation' })
  secret?: string;
  /** `url?secret=...`, for Jira Data Center, which cannot sign webhooks. Shown with `secret` only. */
  @ApiPropertyOptional({ description: '`url?secret=...`, for Jira Data Center; shown with `secret` only' })
  urlWithSecret?: string;
  /** Only when the stored webhook secret cannot be decrypted (webhooks answer 401): why, and what to do. */
  @ApiPropertyOptional({ description: 'Only when the stored webhook secret cannot be decrypted' })
  secretProblem?: string;
  @ApiPropertyOptional({ description: 'Settings GET: whether the bridge registered the webhook in Jira' })
  registered?: boolean;
  @ApiPropertyOptional({ description: 'Jira\'s id of the registered webhook' })
  id?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Settings GET: the last accepted delivery' })
  lastDeliveryAt?: string | null;
  @ApiPropertyOptional({ type: 'integer', description: 'Settings GET: deliveries accepted in the last 24 hours' })
  deliveries24h?: number;
  @ApiPropertyOptional({ description: 'Set when reconciliation keeps finding changes that no webhook brought' })
  warning?: string;
}

/** GET / PUT response: all settings with defaults filled in, never the API token or PAT. */
export class JiraSettingsResponseDto implements StoredJiraSettings {
  @ApiProperty({})
  enabled: boolean;
  @ApiProperty({})
  apiUrl: string;
  @ApiProperty({ type: JiraAuthResponseDto })
  auth: JiraAuthResponseDto;
  @ApiProperty({ example: 'CHK' })
  projectKey: string;
  @ApiProperty({})
  issueType: string;
  @ApiProperty({})
  subject: string;
  @ApiProperty({})
  labels: string;
  /** Empty → the built-in default description template. */
  @ApiProperty({ description: 'Empty: the built-in default description template' })
  description: string;
  @ApiProperty({ type: FieldMappingDto })
  fieldMapping: StoredJiraSettings['fieldMapping'];
  @ApiProperty({ type: [CustomFieldDto] })
  customFields: StoredJiraSettings['customFields'];
  @ApiProperty({ type: SyncDto })
  sync: StoredJiraSettings['sync'];
  @ApiProperty({ type: [StatusMappingDto] })
  statusMapping: StoredJiraSettings['statusMapping'];
  @ApiProperty({ type: [UserMappingDto] })
  userMapping: StoredJiraSettings['userMapping'];
  @ApiProperty({})
  autoMapUsersByEmail: boolean;
  @ApiProperty({ type: FixVersionSyncDto })
  fixVersionSync: StoredJiraSettings['fixVersionSync'];
  @ApiProperty({ type: RegressionDto })
  regression: StoredJiraSettings['regression'];
  @ApiProperty({ type: CreateRulesDto })
  createRules: StoredJiraSettings['createRules'];
  @ApiProperty({ type: [RouteDto] })
  routes: StoredJiraSettings['routes'];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } })
  valueMaps: StoredJiraSettings['valueMaps'];
  @ApiProperty({ type: VersionsDto })
  versions: StoredJiraSettings['versions'];
  @ApiProperty({ type: CommentsSettingsDto })
  comments: StoredJiraSettings['comments'];
  @ApiProperty({ type: UpdatesDto })
  updates: StoredJiraSettings['updates'];
  @ApiProperty({ type: JiraWebhookResponseDto })
  webhook: JiraWebhookResponseDto;
  /** `{credentials: 'ok'}`, or `'failing'` with since when and why: Jira refuses the stored token, jobs wait. */
  @ApiProperty({ type: CredentialsHealthDto, description: 'failing: Jira refuses the stored token, jobs wait' })
  health: CredentialsHealth;
}
