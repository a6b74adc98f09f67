import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { customFieldsProblem, routesProblem, statusMappingProblem, userMappingProblem } from '@app/modules/jira-settings/domain/list-rules';
import {
  MAX_CUSTOM_FIELDS, MAX_DESCRIPTION_TEMPLATE, MAX_LABELS_TEMPLATE, MAX_NAME,
  MAX_ROUTES, MAX_STATUS_MAPPINGS, MAX_SUBJECT_TEMPLATE, MAX_URL, MAX_USER_MAPPINGS,
} from '@app/modules/jira-settings/domain/limits';
import { ValueMaps } from '@app/modules/jira-settings/jira-settings';
import { JiraAuthDto } from './jira-auth.dto';
import { CreateRulesDto, FixVersionSyncDto, RegressionDto, SyncDto } from './jira-behaviour.dto';
import { CustomFieldDto, FieldMappingDto, StatusMappingDto, UserMappingDto } from './jira-mappings.dto';
import { RouteDto } from './routes.dto';
import { IsValueMaps } from './value-maps.dto';
import { VersionsDto } from './versions.dto';
import { CommentsSettingsDto } from './comments.dto';
import { UpdatesDto } from './updates.dto';
import { IsJiraApiUrl, IsOptionalNotNull, IsTemplate, JiraProjectKey, Nested, NestedList, PathRule, Str, Trim } from './validators';

/**
 * PUT /api/v1/projects/{key}/integrations/jira: the whole integration (create or
 * replace). Omitted optional members take their defaults (SETTINGS_DEFAULTS), not
 * the stored values; only the auth secret and the webhook secret are kept.
 */
export class PutJiraSettingsDto {
  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull() @IsBoolean()
  enabled?: boolean;

  /** Jira REST v2 base, e.g. `https://acme.atlassian.net/rest/api/2/`; `/rest/api/2/` is added when missing. */
  @ApiProperty({ maxLength: MAX_URL, example: 'https://acme.atlassian.net/rest/api/2/' })
  @Trim() @Str({ max: MAX_URL, required: true }) @IsJiraApiUrl()
  apiUrl: string;

  @ApiProperty({ type: JiraAuthDto })
  @Nested(() => JiraAuthDto, true)
  auth: JiraAuthDto;

  /** Jira project key; accepted in any case and stored upper-case (Jira keys are upper-case). */
  @ApiProperty({ example: 'CHK', description: 'Jira project key; stored upper-case' })
  @JiraProjectKey()
  projectKey: string;

  /** Issue type name or id; default `Bug`. */
  @ApiPropertyOptional({ maxLength: MAX_NAME, default: 'Bug' })
  @IsOptionalNotNull() @Trim() @Str({ max: MAX_NAME })
  issueType?: string;

  /** Summary template. */
  @ApiProperty({ maxLength: MAX_SUBJECT_TEMPLATE, description: 'Summary template' })
  @Str({ max: MAX_SUBJECT_TEMPLATE, required: true }) @IsTemplate()
  subject: string;

  /** Comma-separated labels template; default `crashbridge`. */
  @ApiPropertyOptional({ maxLength: MAX_LABELS_TEMPLATE, default: 'crashbridge' })
  @IsOptionalNotNull() @Str({ max: MAX_LABELS_TEMPLATE, allowEmpty: true }) @IsTemplate()
  labels?: string;

  /** Description template (wiki markup); empty → the built-in default template. */
  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION_TEMPLATE, description: 'Description template; empty: the built-in one' })
  @IsOptionalNotNull() @Str({ max: MAX_DESCRIPTION_TEMPLATE, allowEmpty: true }) @IsTemplate()
  description?: string;

  @ApiPropertyOptional({ type: FieldMappingDto })
  @IsOptionalNotNull() @Nested(() => FieldMappingDto)
  fieldMapping?: FieldMappingDto;

  @ApiPropertyOptional({ type: [CustomFieldDto], maxItems: MAX_CUSTOM_FIELDS })
  @IsOptionalNotNull() @NestedList(() => CustomFieldDto, MAX_CUSTOM_FIELDS) @PathRule(customFieldsProblem)
  customFields?: CustomFieldDto[];

  @ApiPropertyOptional({ type: SyncDto })
  @IsOptionalNotNull() @Nested(() => SyncDto)
  sync?: SyncDto;

  @ApiPropertyOptional({ type: [StatusMappingDto], maxItems: MAX_STATUS_MAPPINGS })
  @IsOptionalNotNull() @NestedList(() => StatusMappingDto, MAX_STATUS_MAPPINGS) @PathRule(statusMappingProblem)
  statusMapping?: StatusMappingDto[];

  @ApiPropertyOptional({ type: [UserMappingDto], maxItems: MAX_USER_MAPPINGS })
  @IsOptionalNotNull() @NestedList(() => UserMappingDto, MAX_USER_MAPPINGS) @PathRule(userMappingProblem)
  userMapping?: UserMappingDto[];

  /** Map a Jira assignee to the user with the same email when userMapping has no entry. */
  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull() @IsBoolean()
  autoMapUsersByEmail?: boolean;

  @ApiPropertyOptional({ type: FixVersionSyncDto })
  @IsOptionalNotNull() @Nested(() => FixVersionSyncDto)
  fixVersionSync?: FixVersionSyncDto;

  @ApiPropertyOptional({ type: RegressionDto })
  @IsOptionalNotNull() @Nested(() => RegressionDto)
  regression?: RegressionDto;

  @ApiPropertyOptional({ type: CreateRulesDto })
  @IsOptionalNotNull() @Nested(() => CreateRulesDto)
  createRules?: CreateRulesDto;

  /** Where a group's issue goes, by conditions; the first route that holds wins, none: these top-level settings. */
  @ApiPropertyOptional({ type: [RouteDto], maxItems: MAX_ROUTES })
  @IsOptionalNotNull() @NestedList(() => RouteDto, MAX_ROUTES) @PathRule(routesProblem)
  routes?: RouteDto[];

  /** Named string → string maps for templates: `{{map "severity" $severity}}`, `*` the fallback. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } }, example: { severity: { fatal: 'Highest', '*': 'Medium' } } })
  @IsOptionalNotNull() @IsValueMaps()
  valueMaps?: ValueMaps;

  @ApiPropertyOptional({ type: VersionsDto })
  @IsOptionalNotNull() @Nested(() => VersionsDto)
  versions?: VersionsDto;

  @ApiPropertyOptional({ type: CommentsSettingsDto })
  @IsOptionalNotNull() @Nested(() => CommentsSettingsDto)
  comments?: CommentsSettingsDto;
  /** Keep the linked issue current: fields written on change (coalesced), a comment per milestone count. */
  @ApiPropertyOptional({ type: UpdatesDto })
  @IsOptionalNotNull() @Nested(() => UpdatesDto)
  updates?: UpdatesDto;
}
