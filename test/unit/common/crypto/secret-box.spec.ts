import { createCipheriv, randomBytes } from 'crypto';
import { inspect } from 'util';
import {
  SecretBox,
  SecretBoxError,
  generateEncryptionKey,
  parseEncryptionKey,
} from '@app/common/crypto';

const TOKEN_FORMAT = /^v2:[A-Za-z0-9_-]{8}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/;

function expectSecretBoxError(fn: () => unknown, reason: SecretBoxError['reason'], secret?: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SecretBoxError);
  const err = caught as SecretBoxError;
  expect(err.name).toBe('SecretBoxError');
  expect(err.reason).toBe(reason);
  if (secret !== undefined) expect(err.message).not.toContain(secret);
}

/** Flip one bit of one decoded part of the token and re-encode it. */
function tamper(token: string, part: 2 | 3 | 4, byte = 0): string {
  const parts = token.split(':');
  const buf = Buffer.from(parts[part], 'base64url');
  buf[byte] ^= 0x01;
  parts[part] = buf.toString('base64url');
  return parts.join(':');
}

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  const secret = 'ATATT3xFfGF0-very-secret-token';

  it('round-trips, with and without aad', () => {
    const t1 = box.encrypt(secret);
    expect(t1).toMatch(TOKEN_FORMAT);
    expect(t1).not.toContain(secret);
    expect(box.decrypt(t1)).toBe(secret);

    const t2 = box.encrypt(secret, 'jira:checkout-web');
    expect(box.decrypt(t2, 'jira:checkout-web')).toBe(secret);
  });

  it('round-trips empty, unicode and long strings', () => {
    for (const s of ['', 'ünïcødé 🔑 秘密', 'x'.repeat(100_000), 'a:b:c:d']) {
      expect(box.decrypt(box.encrypt(s, 'aad'), 'aad')).toBe(s);
    }
  });

  it('uses a fresh IV each time', () => {
    const a = box.encrypt(secret);
    const b = box.encrypt(secret);
    expect(a).not.toBe(b);
    expect(a.split(':')[2]).not.toBe(b.split(':')[2]);
  });

  it('decrypts with another instance on the same key (key is copied, not referenced)', () => {
    const k = Buffer.from(key);
    const other = new SecretBox(k);
    k.fill(0);
    expect(other.decrypt(box.encrypt(secret))).toBe(secret);
  });

  it('tells a token under a key it was not given (unknown_key) from a tampered one', () => {
    const token = box.encrypt(secret);
    expectSecretBoxError(() => new SecretBox(randomBytes(32)).decrypt(token), 'unknown_key', secret);
    // A forged key id naming the current key still fails authentication.
    const other = new SecretBox(randomBytes(32));
    const forged = token.replace(/^v2:[^:]+:/, `v2:${other.currentKeyId}:`);
    expectSecretBoxError(() => other.decrypt(forged), 'auth', secret);
  });

  describe('key rotation', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = new SecretBox(oldKey);
    const after = new SecretBox(newKey, [oldKey]);

    it('decrypts tokens of a previous key, and encrypts under the current one only', () => {
      const old = before.encrypt(secret, 'a');
      expect(after.decrypt(old, 'a')).toBe(secret);
      expect(after.isCurrent(old)).toBe(false);
      const fresh = after.encrypt(secret, 'a');
      expect(after.isCurrent(fresh)).toBe(true);
      expect(fresh.split(':')[1]).toBe(after.currentKeyId);
      expectSecretBoxError(() => before.decrypt(fresh, 'a'), 'unknown_key', secret);
    });

    it('reads v1 tokens (no key id) under any of its keys', () => {
      const v1 = (key: Buffer) => {
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
        c.setAAD(Buffer.from('a'));
        const ct = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
        return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
      };
      expect(after.decrypt(v1(oldKey), 'a')).toBe(secret);
      expect(after.decrypt(v1(newKey), 'a')).toBe(secret);
      expect(after.isCurrent(v1(newKey))).toBe(false);
      expectSecretBoxError(() => after.decrypt(v1(randomBytes(32)), 'a'), 'auth', secret);
    });
  });

  it('fails with a wrong, missing or unexpected aad', () => {
    const token = box.encrypt(secret, 'jira:checkout-web');
    expectSecretBoxError(() => box.decrypt(token, 'jira:other'), 'auth', secret);
    expectSecretBoxError(() => box.decrypt(token), 'auth', secret);
    expectSecretBoxError(() => box.decrypt(box.encrypt(secret), 'jira:checkout-web'), 'auth', secret);
  });

  it('treats aad "" like no aad (GCM semantics)', () => {
    expect(box.decrypt(box.encrypt(secret, ''))).toBe(secret);
  });

  it('fails on tampered iv, tag or ciphertext', () => {
    const token = box.encrypt(secret, 'a');
    expectSecretBoxError(() => box.decrypt(tamper(token, 2), 'a'), 'auth', secret);
    expectSecretBoxError(() => box.decrypt(tamper(token, 3), 'a'), 'auth', secret);
    expectSecretBoxError(() => box.decrypt(tamper(token, 4), 'a'), 'auth', secret);
    expectSecretBoxError(() => box.decrypt(tamper(token, 4, 5), 'a'), 'auth', secret);
    // truncated ciphertext
    const parts = token.split(':');
    parts[4] = Buffer.from(parts[4], 'base64url').subarray(1).toString('base64url');
    expectSecretBoxError(() => box.decrypt(parts.join(':'), 'a'), 'auth', secret);
  });

  it('rejects malformed tokens with a format error', () => {
    const token = box.encrypt(secret);
    const [, kid, iv, tag, ct] = token.split(':');
    expectSecretBoxError(() => box.decrypt(''), 'version');
    expectSecretBoxError(() => box.decrypt(secret), 'version', secret);
    expectSecretBoxError(() => box.decrypt(`v2:${kid}:${iv}:${tag}`), 'format');
    expectSecretBoxError(() => box.decrypt(`${token}:extra`), 'format');
    expectSecretBoxError(() => box.decrypt(`v2:${kid}:${iv}:${tag}:${ct}!`), 'format');
    expectSecretBoxError(() => box.decrypt(`v2:${kid}:${iv.slice(2)}:${tag}:${ct}`), 'format'); // short iv
    expectSecretBoxError(() => box.decrypt(`v2:${kid}:${iv}:${tag.slice(2)}:${ct}`), 'format'); // short tag
    expectSecretBoxError(() => box.decrypt(`v2:${kid}:${iv}=:${tag}:${ct}`), 'format'); // padding
    expectSecretBoxError(() => box.decrypt(`v2:${kid}x:${iv}:${tag}:${ct}`), 'format'); // key id
    expectSecretBoxError(() => box.decrypt(`v1:${iv}:${tag}`), 'format');
    expectSecretBoxError(() => box.decrypt(undefined as unknown as string), 'format');
  });

  it('rejects unknown versions', () => {
    const token = box.encrypt(secret);
    expectSecretBoxError(() => box.decrypt(token.replace(/^v2:/, 'v9:')), 'version');
  });

  it('requires a 32-byte key', () => {
    expectSecretBoxError(() => new SecretBox(randomBytes(16)), 'key');
    expectSecretBoxError(() => new SecretBox(randomBytes(33)), 'key');
    expectSecretBoxError(() => new SecretBox('x'.repeat(32) as unknown as Buffer), 'key');
  });

  it('does not expose the key when inspected or serialised', () => {
    const hex = key.toString('hex');
    const b64 = key.toString('base64');
    const shown = `${JSON.stringify(box)} ${inspect(box, { showHidden: true, depth: 5 })}`;
    expect(shown).not.toContain(hex);
    expect(shown).not.toContain(b64);
  });
});

describe('parseEncryptionKey', () => {
  const raw = randomBytes(32);

  it('accepts base64 (44 chars), with or without padding, standard or URL-safe', () => {
    const b64 = raw.toString('base64');
    expect(b64).toHaveLength(44);
    expect(parseEncryptionKey(b64).equals(raw)).toBe(true);
    expect(parseEncryptionKey(b64.replace(/=$/, '')).equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString('base64url')).equals(raw)).toBe(true);
    expect(parseEncryptionKey(`  ${b64}\n`).equals(raw)).toBe(true);
  });

  it('accepts hex (64 chars), either case', () => {
    const hex = raw.toString('hex');
    expect(parseEncryptionKey(hex).equals(raw)).toBe(true);
    expect(parseEncryptionKey(hex.toUpperCase()).equals(raw)).toBe(true);
  });

  it('round-trips generateEncryptionKey', () => {
    const k = generateEncryptionKey();
    expect(k).toHaveLength(44);
    expect(parseEncryptionKey(k)).toHaveLength(32);
    expect(() => new SecretBox(parseEncryptionKey(k))).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['16 bytes base64', randomBytes(16).toString('base64')],
    ['48 bytes base64', randomBytes(48).toString('base64')],
    ['31 bytes hex', randomBytes(31).toString('hex')],
    ['33 bytes hex', randomBytes(33).toString('hex')],
    ['hex with a non-hex char', `${'a'.repeat(63)}g`],
    ['44 chars with invalid chars', `${'A'.repeat(42)}!=`],
    ['non-canonical base64 trailing bits', `${'A'.repeat(42)}B=`],
    ['a passphrase', 'correct horse battery staple'],
  ])('rejects %s with a clear message that does not echo the value', (_label, value) => {
    let err: Error | undefined;
    try {
      parseEncryptionKey(value, 'ENCRYPTION_KEY');
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/^ENCRYPTION_KEY must be 32 bytes given as base64 \(44 characters\) or hex \(64 characters\)/);
    if (value.trim() !== '') expect(err!.message).not.toContain(value.trim());
  });

  it('names a default subject when no variable name is given', () => {
    expect(() => parseEncryptionKey('short')).toThrow(/^encryption key must be 32 bytes/);
  });
});
