/**
 * Authenticated encryption for secrets at rest (Jira API tokens, webhook
 * secrets), keyed by `ENCRYPTION_KEY` (docs/behaviour.md, "Runtime and configuration").
 *
 * Format: `v1:<iv>:<tag>:<ciphertext>`, each part base64url without padding;
 * AES-256-GCM, a fresh random 12-byte IV per encryption, 16-byte tag.
 * The optional `aad` (associated data, e.g. `jira:<projectKey>`) is
 * authenticated but not stored: decrypting with another aad fails, so a
 * ciphertext cannot be moved to another row/project. `aad` undefined and `''`
 * are equivalent (GCM treats empty associated data as none).
 *
 * Every failure to decrypt throws {@link SecretBoxError}; its message never
 * contains plaintext, key material or the token itself.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;

export type SecretBoxErrorReason = 'key' | 'format' | 'version' | 'auth';

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  constructor(
    message: string,
    /** `key`: bad key; `format`: not a token; `version`: unknown format version; `auth`: wrong key/aad or tampered. */
    readonly reason: SecretBoxErrorReason,
  ) {
    super(message);
  }
}

function decodePart(part: string, what: string, expectedBytes?: number): Buffer {
  if (!B64URL.test(part)) throw new SecretBoxError(`secret box token: ${what} is not base64url`, 'format');
  const buf = Buffer.from(part, 'base64url');
  // Reject non-canonical encodings (e.g. stray trailing bits) so one token has one spelling.
  if (buf.toString('base64url') !== part) {
    throw new SecretBoxError(`secret box token: ${what} is not canonical base64url`, 'format');
  }
  if (expectedBytes !== undefined && buf.length !== expectedBytes) {
    throw new SecretBoxError(`secret box token: ${what} must be ${expectedBytes} bytes`, 'format');
  }
  return buf;
}

export class SecretBox {
  readonly #key: KeyObject;

  /** @param key exactly 32 bytes (see {@link parseEncryptionKey}). The buffer is copied. */
  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new SecretBoxError(`SecretBox key must be ${KEY_BYTES} bytes`, 'key');
    }
    this.#key = createSecretKey(Buffer.from(key));
  }

  /** Encrypt a UTF-8 string. Each call uses a new random IV, so equal inputs give different tokens. */
  encrypt(plain: string, aad?: string): string {
    if (typeof plain !== 'string') throw new TypeError('SecretBox.encrypt expects a string');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  /** Decrypt a token from {@link encrypt}; throws {@link SecretBoxError} on any malformed, tampered or foreign token. */
  decrypt(token: string, aad?: string): string {
    if (typeof token !== 'string') throw new SecretBoxError('secret box token must be a string', 'format');
    const parts = token.split(':');
    if (parts.length !== 4) {
      throw new SecretBoxError('secret box token: expected v1:<iv>:<tag>:<ciphertext>', 'format');
    }
    const [version, ivPart, tagPart, ctPart] = parts;
    if (version !== VERSION) {
      throw new SecretBoxError('secret box token: unsupported format version', 'version');
    }
    const iv = decodePart(ivPart, 'iv', IV_BYTES);
    const tag = decodePart(tagPart, 'tag', TAG_BYTES);
    const ciphertext = decodePart(ctPart, 'ciphertext');
    try {
      const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
      const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      return plain.toString('utf8');
    } catch {
      throw new SecretBoxError(
        'secret box: decryption failed (wrong key, wrong associated data, or tampered token)',
        'auth',
      );
    }
  }
}

/**
 * Parse a 32-byte key given as hex (64 characters) or base64 (44 characters
 * with `=` padding, or 43 without; standard or URL-safe alphabet). Surrounding
 * whitespace is ignored. Throws an Error naming `name` (never echoing the
 * value) otherwise.
 */
export function parseEncryptionKey(value: string, name = 'encryption key'): Buffer {
  const v = typeof value === 'string' ? value.trim() : '';
  const expectation = `${name} must be 32 bytes given as base64 (44 characters) or hex (64 characters)`;
  if (v === '') throw new Error(`${expectation}; it is empty`);
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const unpadded = v.replace(/=$/, '');
    const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
    const buf = Buffer.from(urlSafe, 'base64url');
    if (buf.length === KEY_BYTES && buf.toString('base64url') === urlSafe) return buf;
    throw new Error(`${expectation}; the base64 value is not a canonical encoding of 32 bytes`);
  }
  throw new Error(`${expectation}; got ${v.length} characters`);
}

/** A fresh random key, base64-encoded (44 characters), suitable for `ENCRYPTION_KEY`. */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
