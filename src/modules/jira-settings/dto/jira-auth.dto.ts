import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { MAX_NAME, MAX_SECRET } from '@app/modules/jira-settings/domain/limits';
import { IsAliasOf, OnlyForAuthType, Str, Trim } from './validators';

export const AUTH_TYPES = ['basic', 'bearer'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

type AuthInput = { type?: unknown; email?: unknown; username?: unknown; apiToken?: unknown; token?: unknown };

// A colon cannot be sent in HTTP Basic credentials (RFC 7617).
const NO_COLON = { re: /^[^:]*$/, message: 'must not contain ":"' };
const USER = { max: MAX_NAME, noControl: true, pattern: NO_COLON };
const SECRET = { max: MAX_SECRET, noControl: true };

/**
 * `{"type": "basic", "email", "apiToken"}` (Jira Cloud: email + API token; Server: username
 * + token or password) or `{"type": "bearer", "token"}` (Data Center personal access token).
 * The secret may be left out of a PUT to keep the stored one (see PutJiraSettingsUseCase).
 */
export class JiraAuthDto {
  @ApiProperty({ enum: AUTH_TYPES })
  @IsIn(AUTH_TYPES, { message: 'type must be "basic" or "bearer"' })
  type: AuthType;

  /** Email (Cloud) or username (Server / Data Center). */
  @ApiPropertyOptional({ maxLength: MAX_NAME, description: 'basic: email (Cloud) or username (Server / Data Center)' })
  @ValidateIf((o: AuthInput) => o.email !== undefined || (o.type === 'basic' && o.username === undefined))
  @Trim() @Str({ ...USER, required: 'is required for basic auth (an email, or a username on Jira Server)' })
  @OnlyForAuthType('basic')
  email?: string;

  /** Alias of `email`, for Jira Server users who think of it as a username. */
  @ApiPropertyOptional({ maxLength: MAX_NAME, description: 'Alias of `email`' })
  @ValidateIf((o: AuthInput) => o.username !== undefined)
  @Trim() @Str(USER) @IsAliasOf('email') @OnlyForAuthType('basic')
  username?: string;

  /** Basic auth: API token (or password). Write-only; omit it to keep the stored one. */
  @ApiPropertyOptional({ maxLength: MAX_SECRET, writeOnly: true, description: 'basic: API token or password. Write-only; omit it to keep the stored one' })
  @ValidateIf((o: AuthInput) => o.apiToken !== undefined)
  @Trim() @Str(SECRET) @OnlyForAuthType('basic')
  apiToken?: string;

  /** Bearer auth: personal access token. Write-only; omit it to keep the stored one. */
  @ApiPropertyOptional({ maxLength: MAX_SECRET, writeOnly: true, description: 'bearer: personal access token. Write-only; omit it to keep the stored one' })
  @ValidateIf((o: AuthInput) => o.token !== undefined)
  @Trim() @Str(SECRET) @OnlyForAuthType('bearer')
  token?: string;
}
