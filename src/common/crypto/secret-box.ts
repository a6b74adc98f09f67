/**
 * Authenticated encryption for secrets at rest (Jira API tokens, webhook
 * secrets), keyed by `ENCRYPTION_KEY`, with earlier keys (`ENCRYPTION_KEY_PREVIOUS`)
 * still accepted for decryption so that the key can be rotated.
 *
 * Format: `v2:<key id>:<iv>:<tag>:<ciphertext>`, each part base64url without
 * padding; AES-256-GCM, a fresh random 12-byte IV per encryption, 16-byte tag.
 * The key id (8 characters, an HMAC of a fixed label under the key: it reveals
 * nothing of the key) names the key that encrypted the token, so a token is
 * decrypted with the right key and one under a key this process lacks is told
 * apart from a tampered one. `v1:<iv>:<tag>:<ciphertext>` (no key id, written by
 * earlier versions) is still read, trying each key.
 * The optional `aad` (associated data, e.g. `jira:<projectKey>`) is
 * authenticated but not stored: decrypting with another aad fails, so a
 * ciphertext cannot be moved to another row/project. `aad` undefined and `''`
 * are equivalent (GCM treats empty associated data as none).
 *
 * Every failure to decrypt throws {@link SecretBoxError}; its message never
 * contains plaintext, key material or the token itself.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v2';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 6;
const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * `key`: bad key; `format`: not a token; `version`: unknown format version;
 * `unknown_key`: encrypted under a key this process was not given;
 * `auth`: wrong key/aad or tampered.
 */
export type SecretBoxErrorReason = 'key' | 'format' | 'version' | 'unknown_key' | 'auth';

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  constructor(
    message: string,
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

function toKey(key: Buffer): { id: string; key: KeyObject } {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new SecretBoxError(`SecretBox key must be ${KEY_BYTES} bytes`, 'key');
  }
  const id = createHmac('sha256', key).update('crashbridge secret box key id').digest().subarray(0, KEY_ID_BYTES).toString('base64url');
  return { id, key: createSecretKey(Buffer.from(key)) };
}

export class SecretBox {
  readonly #current: { id: string; key: KeyObject };
  readonly #keys: Map<string, KeyObject>;

  /**
   * @param key exactly 32 bytes (see {@link parseEncryptionKey}); encrypts and decrypts.
   * @param previous earlier keys, for decryption only. Buffers are copied.
   */
  constructor(key: Buffer, previous: Buffer[] = []) {
    this.#current = toKey(key);
    this.#keys = new Map([this.#current, ...previous.map(toKey)].map((k) => [k.id, k.key]));
  }

  /** The id of the key new tokens are encrypted under. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Encrypt a UTF-8 string. Each call uses a new random IV, so equal inputs give different tokens. */
  encrypt(plain: string, aad?: string): string {
    if (typeof plain !== 'string') throw new TypeError('SecretBox.encrypt expects a string');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#current.key, iv, { authTagLength: TAG_BYTES });
    if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.#current.id, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  /** Whether a token is encrypted under the current key (else `npm run reencrypt` rewrites it). */
  isCurrent(token: string): boolean {
    return typeof token === 'string' && token.startsWith(`${VERSION}:${this.#current.id}:`);
  }

  /** Decrypt a token from {@link encrypt}; throws {@link SecretBoxError} on any malformed, tampered or foreign token. */
  decrypt(token: string, aad?: string): string {
    if (typeof token !== 'string') throw new SecretBoxError('secret box token must be a string', 'format');
    const parts = token.split(':');
    if (parts[0] === 'v1') {
      if (parts.length !== 4) throw new SecretBoxError('secret box token: expected v1:<iv>:<tag>:<ciphertext>', 'format');
      return this.open([...this.#keys.values()], parts[1], parts[2], parts[3], aad);
    }
    if (parts[0] !== VERSION) throw new SecretBoxError('secret box token: unsupported format version', 'version');
    if (parts.length !== 5) {
      throw new SecretBoxError('secret box token: expected v2:<key id>:<iv>:<tag>:<ciphertext>', 'format');
    }
    const [, keyId, iv, tag, ciphertext] = parts;
    decodePart(keyId, 'key id', KEY_ID_BYTES);
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new SecretBoxError(
        `secret box: encrypted under a key this service does not have (key id ${keyId}); set it in ENCRYPTION_KEY_PREVIOUS, or enter the secret again`,
        'unknown_key',
      );
    }
    return this.open([key], iv, tag, ciphertext, aad);
  }

  private open(keys: KeyObject[], ivPart: string, tagPart: string, ctPart: string, aad?: string): string {
    const iv = decodePart(ivPart, 'iv', IV_BYTES);
    const tag = decodePart(tagPart, 'tag', TAG_BYTES);
    const ciphertext = decodePart(ctPart, 'ciphertext');
    for (const key of keys) {
      try {
        const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // the next key, if any
      }
    }
    throw new SecretBoxError('secret box: decryption failed (wrong key, wrong associated data, or tampered token)', 'auth');
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
