/**
 * Bearer tokens and webhook signatures (docs/behaviour.md, "Authentication").
 *
 * - Tokens are `prefix + base64url(32 random bytes)` (43 characters after the
 *   prefix); only their SHA-256 hex digest is stored (`hashToken`), and a
 *   presented token is checked with `safeEqualHex(hashToken(presented), stored)`.
 * - Jira Cloud signs webhooks with `X-Hub-Signature: sha256=<hex HMAC-SHA256 of
 *   the raw body>`; `verifyHubSignature` checks it in constant time.
 * - Jira Data Center sends the secret as `?secret=`; compare it with
 *   `safeEqualString`, which does not leak its length or contents by timing.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

const TOKEN_BYTES = 32;
const HEX = /^[0-9a-f]*$/;

/** `prefix` followed by 32 random bytes in base64url (no padding). */
export function generateToken(prefix: string): string {
  return `${prefix}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

/** SHA-256 of the UTF-8 token, lower-case hex (64 characters). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time comparison of two hex strings (case-insensitive).
 * Returns false, without throwing, when the lengths differ, either side is
 * not a string, not hex, or empty. (Only the lengths — not secret for hex
 * digests — and validity of the inputs influence timing.)
 */
export function safeEqualHex(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a.length === 0 || a.length !== b.length) return false;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (!HEX.test(x) || !HEX.test(y)) return false;
  return timingSafeEqual(Buffer.from(x, 'latin1'), Buffer.from(y, 'latin1'));
}

/**
 * Constant-time equality of two arbitrary strings (e.g. a `?secret=` query
 * value against the stored webhook secret). Both are hashed first, so timing
 * reveals neither length nor contents. False when either is not a string or empty.
 */
export function safeEqualString(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') return false;
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** HMAC-SHA256 of `body` keyed by the UTF-8 `secret`, lower-case hex. */
export function hmacSha256Hex(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

const HUB_SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/i;

/**
 * Verify `X-Hub-Signature: sha256=<hex>` against the raw request body.
 * False (never throws) when the header is missing, malformed, repeated, uses
 * another algorithm, the secret is empty, or the body is not a Buffer.
 * The `sha256=` prefix and the hex digits are case-insensitive; surrounding
 * whitespace is ignored.
 */
export function verifyHubSignature(
  secret: string,
  rawBody: Buffer,
  header: string | readonly string[] | undefined,
): boolean {
  if (typeof secret !== 'string' || secret === '' || !Buffer.isBuffer(rawBody)) return false;
  const value = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  if (typeof value !== 'string') return false;
  const m = HUB_SIGNATURE.exec(value.trim());
  if (m === null) return false;
  return safeEqualHex(hmacSha256Hex(secret, rawBody), m[1]);
}
