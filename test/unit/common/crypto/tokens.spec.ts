import { createHmac } from 'crypto';
import {
  generateToken,
  hashToken,
  hmacSha256Hex,
  safeEqualHex,
  safeEqualString,
  verifyHubSignature,
} from '@app/common/crypto';

describe('generateToken', () => {
  it('is the prefix plus 32 random bytes in base64url', () => {
    const t = generateToken('cb_ingest_');
    expect(t).toMatch(/^cb_ingest_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t.slice('cb_ingest_'.length), 'base64url')).toHaveLength(32);
  });

  it('is unique', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateToken('')));
    expect(seen.size).toBe(1000);
  });
});

describe('hashToken', () => {
  it('is sha256 hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('is stable and distinguishes tokens', () => {
    const t = generateToken('cb_');
    expect(hashToken(t)).toBe(hashToken(t));
    expect(hashToken(t)).not.toBe(hashToken(`${t}x`));
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('safeEqualHex', () => {
  const h = hashToken('token');

  it('compares equal and different digests', () => {
    expect(safeEqualHex(h, h)).toBe(true);
    expect(safeEqualHex(h, hashToken('other'))).toBe(false);
    expect(safeEqualHex(h, h.toUpperCase())).toBe(true);
  });

  it('returns false (without throwing) on different lengths, empty, non-hex or non-string input', () => {
    expect(safeEqualHex(h, h.slice(1))).toBe(false);
    expect(safeEqualHex(h, `${h}0`)).toBe(false);
    expect(safeEqualHex('', '')).toBe(false);
    expect(safeEqualHex('zz', 'zz')).toBe(false);
    expect(safeEqualHex('ü', 'ü')).toBe(false);
    expect(safeEqualHex(undefined as unknown as string, h)).toBe(false);
    expect(safeEqualHex(h, null as unknown as string)).toBe(false);
  });
});

describe('safeEqualString', () => {
  it('compares arbitrary strings', () => {
    expect(safeEqualString('s3cret', 's3cret')).toBe(true);
    expect(safeEqualString('s3cret', 's3cret ')).toBe(false);
    expect(safeEqualString('s3cret', 'S3cret')).toBe(false);
    expect(safeEqualString('ü🔑', 'ü🔑')).toBe(true);
    expect(safeEqualString('', '')).toBe(false);
    expect(safeEqualString(undefined as unknown as string, 'x')).toBe(false);
  });
});

describe('hmacSha256Hex', () => {
  it('matches RFC 4231 test case 2', () => {
    expect(hmacSha256Hex('Jefe', Buffer.from('what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('verifyHubSignature', () => {
  const secret = 'webhook-secret-1';
  const body = Buffer.from('{"webhookEvent":"jira:issue_updated","issue":{"id":"10034"}}');
  const sig = createHmac('sha256', secret).update(body).digest('hex');

  it('accepts a good signature', () => {
    expect(verifyHubSignature(secret, body, `sha256=${sig}`)).toBe(true);
    expect(verifyHubSignature(secret, body, `SHA256=${sig.toUpperCase()}`)).toBe(true);
    expect(verifyHubSignature(secret, body, ` sha256=${sig} `)).toBe(true);
    expect(verifyHubSignature(secret, body, [`sha256=${sig}`])).toBe(true);
  });

  it('rejects a bad signature', () => {
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    expect(verifyHubSignature(secret, body, `sha256=${flipped}`)).toBe(false);
    expect(verifyHubSignature('other-secret', body, `sha256=${sig}`)).toBe(false);
    expect(verifyHubSignature(secret, Buffer.concat([body, Buffer.from(' ')]), `sha256=${sig}`)).toBe(false);
  });

  it('rejects a missing header', () => {
    expect(verifyHubSignature(secret, body, undefined)).toBe(false);
    expect(verifyHubSignature(secret, body, '')).toBe(false);
    expect(verifyHubSignature(secret, body, [])).toBe(false);
  });

  it('rejects malformed headers without throwing', () => {
    for (const header of [
      sig, // no algorithm
      `sha1=${sig}`,
      `sha256:${sig}`,
      `sha256=${sig.slice(1)}`,
      `sha256=${sig}00`,
      `sha256=${'g'.repeat(64)}`,
      'sha256=',
      `sha256=${sig}, sha256=${sig}`,
      `sha256=${'a'.repeat(100_000)}`,
    ]) {
      expect(verifyHubSignature(secret, body, header)).toBe(false);
    }
    expect(verifyHubSignature(secret, body, [`sha256=${sig}`, `sha256=${sig}`])).toBe(false);
  });

  it('rejects when there is no secret or no raw body', () => {
    const emptySig = createHmac('sha256', '').update(body).digest('hex');
    expect(verifyHubSignature('', body, `sha256=${emptySig}`)).toBe(false);
    expect(verifyHubSignature(secret, undefined as unknown as Buffer, `sha256=${sig}`)).toBe(false);
  });
});
