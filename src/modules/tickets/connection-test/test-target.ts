import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationMessages } from '@app/common/validation/validation-problems';
import { badRequest, notFound } from '@app/common/errors/domain-error';
import { normalizeApiUrl } from '@app/modules/jira/client';
import { assertStoredSecretUsable, secretField } from '@app/modules/jira-settings/domain/auth-secret-plan';
import { toStoredSettings } from '@app/modules/jira-settings/domain/to-stored-settings';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { SavedIntegration } from '@app/modules/jira-settings/jira-integration.service';
import { SecretUnreadableError } from '@app/modules/jira-settings/secrets/secret-problem';

/** What Test connection runs against: saved settings, or unsaved ones from the body. */
export interface TestTarget {
  settings: JiraSettings;
  /** API token (basic) or personal access token (bearer). */
  secret: string;
}

function readable(secret: SavedIntegration['secret']): string {
  if (secret instanceof SecretUnreadableError) throw secret;
  return secret;
}

/** The saved settings in the PUT body's shape, without the secret. */
function savedAsBody(s: JiraSettings): Record<string, unknown> {
  return { ...s, auth: s.auth.type === 'basic' ? { type: 'basic', email: s.auth.email } : { type: 'bearer' } };
}

/**
 * No body (or `{}`): the saved settings. A body: laid over the saved settings member by
 * member (what it leaves out is the saved value), then validated exactly as a PUT of the
 * result would be, with the PUT's DTO. A missing secret is the saved one under the PUT's
 * rule: same auth type and same Jira site only, so a test never sends a stored token to
 * another server. A saved token that cannot be decrypted fails (409) only when it is needed.
 */
export function resolveTestTarget(projectKey: string, body: unknown, saved: SavedIntegration | null): TestTarget {
  const empty = body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
  if (empty) {
    if (!saved) {
      throw notFound('INTEGRATION_NOT_FOUND', `project '${projectKey}' has no Jira settings: save them first, or send the settings to test in the body`);
    }
    return { settings: saved.settings, secret: readable(saved.secret) };
  }
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('INVALID_BODY', 'body must be a Jira settings object', 'body');

  const merged = { ...(saved ? savedAsBody(saved.settings) : {}), ...body };
  const dto = plainToInstance(PutJiraSettingsDto, merged);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new BadRequestException(validationMessages(errors)); // the PUT's messages

  const apiUrl = normalizeApiUrl(dto.apiUrl); // checked by the DTO
  const { type } = dto.auth;
  let secret = type === 'basic' ? dto.auth.apiToken : dto.auth.token;
  if (secret === undefined) {
    if (!saved) {
      const field = secretField(type);
      throw badRequest('AUTH_SECRET_REQUIRED', `${field} is required: project '${projectKey}' has no saved token`, field);
    }
    assertStoredSecretUsable(type, apiUrl, { authType: saved.settings.auth.type, apiUrl: saved.settings.apiUrl });
    secret = readable(saved.secret);
  }
  const auth: JiraSettings['auth'] = type === 'basic' ? { type, email: dto.auth.email ?? dto.auth.username ?? '' } : { type };
  return { settings: { ...toStoredSettings(dto), apiUrl, auth }, secret };
}
