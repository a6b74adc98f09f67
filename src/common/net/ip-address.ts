import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * IP address parsing (ipaddr.js) and the classification of addresses that outbound
 * connections (Jira) must never reach, whatever the configuration says:
 *
 * - unspecified: `0.0.0.0/8` ("this host": connecting to it reaches the local machine) and `::`
 * - link-local: `169.254.0.0/16` and `fe80::/10` (where cloud metadata services live)
 * - cloud metadata: `169.254.169.254` (AWS, GCP, Azure, OpenStack…), `169.254.170.2` (AWS ECS
 *   task credentials), `fd00:ec2::254` (AWS IMDS over IPv6), `100.100.100.200` (Alibaba
 *   Cloud), `168.63.129.16` (Azure WireServer), `192.0.0.192` (Oracle Cloud)
 *
 * An IPv6 address that carries an IPv4 address (mapped `::ffff:169.254.169.254`, NAT64
 * `64:ff9b::a9fe:a9fe`, IPv4-compatible `::a9fe:a9fe`, SIIT `::ffff:0:a9fe:a9fe`, 6to4
 * `2002:a9fe:a9fe::`) is refused when that IPv4 address is. Loopback and private ranges are
 * not refused here: an operator narrows those with the allow-list (JIRA_ALLOWED_HOSTS).
 */

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export type RefusedAddressKind = 'unspecified' | 'link-local' | 'cloud metadata';

/**
 * `169.254.169.254`, `[fe80::1]`, `fe80::1%eth0` → the address; anything else → null.
 * Only the spellings node's sockets and the URL parser write (node:net isIP): ipaddr.js on
 * its own also reads inet_aton forms (`01.2.3.4` as octal, `1.2.3`, `3232235777`), which
 * would let an allow-list entry mean something other than what it reads.
 */
export function parseIpAddress(text: string): IpAddress | null {
  let s = text.trim().toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  return isIP(s) === 0 ? null : ipaddr.parse(s);
}

/** `10.0.0.0/8`, `fd00::/8` → the address and its prefix length; null unless the prefix fits the address's version. */
export function parseCidr(text: string): { ip: IpAddress; bits: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIpAddress(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  return bits <= (ip.kind() === 'ipv4' ? 32 : 128) ? { ip, bits } : null;
}

/** Whether `ip` lies in `range`/`bits` (false across versions). */
export function inRange(ip: IpAddress, range: IpAddress, bits: number): boolean {
  return ip.kind() === range.kind() && ip.match(range, bits);
}

const NAT64 = ipaddr.parse('64:ff9b::');
const IPV4_COMPATIBLE = ipaddr.parse('::');
const v4 = (bytes: number[]) => new ipaddr.IPv4(bytes);

/**
 * The IPv4 address an IPv6 address stands for (IPv4-mapped `::ffff:0:0/96`, NAT64 well-known
 * prefix `64:ff9b::/96`), or the address itself when it is IPv4 or an ordinary IPv6 address.
 */
export function effectiveAddress(ip: IpAddress): IpAddress {
  if (ip.kind() === 'ipv6' && (ip.range() === 'ipv4Mapped' || ip.match(NAT64, 96))) return v4(ip.toByteArray().slice(12));
  return ip;
}

/**
 * Every IPv4 address an IPv6 address carries in a well-known embedding: the effective ones
 * above, SIIT `::ffff:0:0:0/96`, IPv4-compatible `::/96` (but `::` and `::1`, which mean
 * themselves) and 6to4 `2002::/16` (the relay forwards to the embedded address).
 */
function carriedIpv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const bytes = ip.toByteArray();
  const range = ip.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || ip.match(NAT64, 96)) return v4(bytes.slice(12));
  if (range === '6to4') return v4(bytes.slice(2, 6));
  if (ip.match(IPV4_COMPATIBLE, 96) && range !== 'unspecified' && range !== 'loopback') return v4(bytes.slice(12));
  return null;
}

const METADATA = new Set(
  ['169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16', '192.0.0.192', 'fd00:ec2::254'].map((a) => ipaddr.parse(a).toNormalizedString()),
);

function kindOf(ip: IpAddress): RefusedAddressKind | null {
  if (METADATA.has(ip.toNormalizedString())) return 'cloud metadata';
  const range = ip.range();
  return range === 'unspecified' ? 'unspecified' : range === 'linkLocal' ? 'link-local' : null;
}

/** Why an address is always refused, or null. Text that is not an IP address → null. */
export function refusedAddressKind(address: string): RefusedAddressKind | null {
  const ip = parseIpAddress(address);
  if (!ip) return null;
  const carried = ip instanceof ipaddr.IPv6 ? carriedIpv4(ip) : null;
  return carried ? kindOf(carried) : kindOf(ip);
}
