import { badRequest } from '@app/common/errors/domain-error';
import { AuthType } from '@app/modules/jira-settings/dto/jira-auth.dto';

export interface StoredAuth {
  authType: AuthType;
  apiUrl: string;
}

/** The request's secret member for an auth type, as the client spells it. */
export const secretField = (type: AuthType) => (type === 'basic' ? 'auth.apiToken' : 'auth.token');

const origin = (url: string) => new URL(url).origin;

/**
 * Whether a PUT that carries no secret may keep the stored one. It may when the
 * integration exists with the same auth type and the same Jira site (scheme,
 * host, port). A new site needs the secret again, so that a settings change can
 * never send a stored credential to another server (as GitLab's Jira integration
 * does). Throws a 400 naming the missing member otherwise.
 */
export function assertStoredSecretUsable(type: AuthType, apiUrl: string, stored: StoredAuth | null): void {
  const field = secretField(type);
  if (!stored) throw badRequest('AUTH_SECRET_REQUIRED', `${field} is required when the integration is created`, field);
  if (stored.authType !== type) {
    throw badRequest('AUTH_SECRET_REQUIRED', `${field} is required when auth.type changes from ${stored.authType} to ${type}`, field);
  }
  if (origin(stored.apiUrl) !== origin(apiUrl)) {
    throw badRequest(
      'AUTH_SECRET_REQUIRED',
      `${field} is required when apiUrl moves to another site (${origin(stored.apiUrl)} → ${origin(apiUrl)}): the stored secret is never sent to a new site`,
      field,
    );
  }
}
