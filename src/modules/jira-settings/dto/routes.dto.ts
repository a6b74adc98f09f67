import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { customFieldsProblem } from '@app/modules/jira-settings/domain/list-rules';
import {
  MAX_CONDITIONS, MAX_CUSTOM_FIELDS, MAX_DESCRIPTION_TEMPLATE, MAX_LABELS_TEMPLATE, MAX_NAME, MAX_ROUTE_NAME, MAX_SUBJECT_TEMPLATE,
} from '@app/modules/jira-settings/domain/limits';
import { DEFAULT_ROUTE } from '@app/modules/jira-settings/jira-settings';
import { ConditionDto } from './condition.dto';
import { CustomFieldDto } from './jira-mappings.dto';
import { IsOptionalNotNull, IsTemplate, JiraProjectKey, PathRule, NestedList, Str, Trim } from './validators';

const NOT_DEFAULT = {
  re: new RegExp(`^(?!${DEFAULT_ROUTE}$)`, 'i'),
  message: `must not be "${DEFAULT_ROUTE}": that is the name of the top-level settings (the default route)`,
};

/**
 * A route: groups whose `when` rows all hold get their ticket here; the first route that holds wins. A member
 * left out is the top-level setting's (docs/behaviour.md, "Routes").
 */
export class RouteDto {
  /** Unique among the routes (case-insensitively); recorded with the tickets it opens. */
  @ApiProperty({ maxLength: MAX_ROUTE_NAME, description: 'Unique among the routes; not `default`' })
  @Trim() @Str({ max: MAX_ROUTE_NAME, required: true, noControl: true, pattern: NOT_DEFAULT })
  name: string;

  /** Rows that must all hold; none: every group (the routes after this one are then never reached). */
  @ApiPropertyOptional({ type: [ConditionDto], maxItems: MAX_CONDITIONS })
  @IsOptionalNotNull() @NestedList(() => ConditionDto, MAX_CONDITIONS)
  when?: ConditionDto[];

  /** Jira project key; stored upper-case. */
  @ApiProperty({ example: 'CHK' })
  @JiraProjectKey()
  projectKey: string;

  /** Issue type name or id; default: the top-level issueType. */
  @ApiPropertyOptional({ maxLength: MAX_NAME })
  @IsOptionalNotNull() @Trim() @Str({ max: MAX_NAME })
  issueType?: string;

  /** Summary template. */
  @ApiPropertyOptional({ maxLength: MAX_SUBJECT_TEMPLATE })
  @IsOptionalNotNull() @Str({ max: MAX_SUBJECT_TEMPLATE }) @IsTemplate()
  subject?: string;

  /** Comma-separated labels template. */
  @ApiPropertyOptional({ maxLength: MAX_LABELS_TEMPLATE })
  @IsOptionalNotNull() @Str({ max: MAX_LABELS_TEMPLATE, allowEmpty: true }) @IsTemplate()
  labels?: string;

  /** Description template (wiki markup). */
  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION_TEMPLATE })
  @IsOptionalNotNull() @Str({ max: MAX_DESCRIPTION_TEMPLATE, allowEmpty: true }) @IsTemplate()
  description?: string;

  /** Custom fields of this route's issues, instead of the top-level list. */
  @ApiPropertyOptional({ type: [CustomFieldDto], maxItems: MAX_CUSTOM_FIELDS })
  @IsOptionalNotNull() @NestedList(() => CustomFieldDto, MAX_CUSTOM_FIELDS) @PathRule(customFieldsProblem)
  customFields?: CustomFieldDto[];
}
