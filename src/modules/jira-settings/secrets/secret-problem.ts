import { HttpStatus } from '@nestjs/common';
import { SecretBox, SecretBoxError } from '@app/common/crypto';
import { DomainError } from '@app/common/errors/domain-error';

/** Which stored secret: the Jira API token / PAT, or the webhook secret. */
export type SecretKind = 'token' | 'webhook';

const REMEDY: Record<SecretKind, string> = {
  token: 'enter the token again or set ENCRYPTION_KEY_PREVIOUS',
  webhook: 'rotate the webhook secret (and update it in Jira) or set ENCRYPTION_KEY_PREVIOUS',
};

const WHAT: Record<SecretKind, string> = { token: 'Jira API token', webhook: 'webhook secret' };

/**
 * Why a stored secret cannot be decrypted, worded for whoever can fix it. Never quotes the
 * ciphertext or a key id: the answer goes to API clients, the UI and the activity log.
 */
export function describeSecretProblem(err: SecretBoxError, kind: SecretKind): string {
  const cause =
    err.reason === 'unknown_key'
      ? 'encrypted under a key this service does not have'
      : 'cannot be decrypted with the configured keys (another key, or a damaged value)';
  return `${cause}; ${REMEDY[kind]}`;
}

/** The plaintext, or why it cannot be had. Errors other than SecretBoxError propagate. */
export function openSecret(box: SecretBox, enc: string, aad: string, kind: SecretKind): { value: string } | { problem: string } {
  try {
    return { value: box.decrypt(enc, aad) };
  } catch (err) {
    if (err instanceof SecretBoxError) return { problem: describeSecretProblem(err, kind) };
    throw err;
  }
}

/**
 * A stored secret is needed but cannot be decrypted (e.g. after ENCRYPTION_KEY changed):
 * 409, since the request is fine and the stored state is what needs fixing. Jobs treat it
 * as permanent (classifyJiraFailure): retrying cannot help until someone acts.
 */
export class SecretUnreadableError extends DomainError {
  constructor(
    readonly kind: SecretKind,
    readonly problem: string,
  ) {
    super('SECRET_UNREADABLE', HttpStatus.CONFLICT, `the saved ${WHAT[kind]} cannot be read: ${problem}`);
  }
}
