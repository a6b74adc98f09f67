import { isIP } from 'node:net';
import { compile } from 'proxy-addr';

/**
 * TRUST_PROXY: which reverse proxies in front of the API may say who the client is
 * (X-Forwarded-For: the sign-in limit and the logs use that address) and whether it came
 * over HTTPS (X-Forwarded-Proto: the session cookie is then marked Secure). Express's
 * `trust proxy` setting, limited to the safe forms:
 *
 * - unset or empty: no proxy is trusted (the socket's peer is the client);
 * - a hop count, 1 to 10: the last N addresses of X-Forwarded-For are proxies;
 * - a comma-separated list of proxy addresses, CIDR ranges, or `loopback`, `linklocal`,
 *   `uniquelocal` (Express's names for those ranges), read by proxy-addr, Express's own reader.
 *
 * `true` (trust every hop) is refused: any client could then name its own address.
 */
export type TrustProxy = false | number | string[];

export class TrustProxyError extends Error {}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Whether Express's `trust proxy` (proxy-addr's compile) reads the entry. The address part
 * must also be spelled as node:net writes addresses: proxy-addr's ipaddr.js would read
 * `010.0.0.1` as octal (8.0.0.1), trusting a proxy nobody wrote down.
 */
function isProxyEntry(entry: string): boolean {
  if (!NAMED_RANGES.has(entry) && isIP(entry.split('/')[0]) === 0) return false;
  try {
    compile(entry);
    return true;
  } catch {
    return false;
  }
}

export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) throw new TrustProxyError('a hop count must be 1 to 10');
    return hops;
  }
  if (text.toLowerCase() === 'true') {
    throw new TrustProxyError('true would trust any client to name its own address; give the hop count or the proxies\' addresses');
  }
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    if (!isProxyEntry(entry)) {
      throw new TrustProxyError(`'${entry}' is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`);
    }
  }
  return entries;
}
