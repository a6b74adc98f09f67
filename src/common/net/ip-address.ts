import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP address parsing and the classification of addresses that outbound
 * connections (Jira) must never reach, whatever the configuration says:
 *
 * - unspecified: `0.0.0.0/8` ("this host": connecting to it reaches the local machine) and `::`
 * - link-local: `169.254.0.0/16` and `fe80::/10` (where cloud metadata services live)
 * - cloud metadata: `169.254.169.254` (AWS, GCP, Azure, OpenStack…), `169.254.170.2` (AWS ECS
 *   task credentials), `fd00:ec2::254` (AWS IMDS over IPv6), `100.100.100.200` (Alibaba
 *   Cloud), `168.63.129.16` (Azure WireServer)
 *
 * IPv4 addresses embedded in IPv6 (`::ffff:169.254.169.254`, NAT64 `64:ff9b::a9fe:a9fe`) are
 * classified as the IPv4 address they reach. Loopback and private ranges are not refused here:
 * an operator narrows those with the allow-list (JIRA_ALLOWED_HOSTS).
 */

export interface IpAddress {
  version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export type RefusedAddressKind = 'unspecified' | 'link-local' | 'cloud metadata';

/** `169.254.169.254`, `[fe80::1]`, `fe80::1%eth0` → the address; anything else → null. */
export function parseIpAddress(text: string): IpAddress | null {
  let s = text.trim().toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIPv4(s)) return { version: 4, bytes: Uint8Array.from(s.split('.').map(Number)) };
  if (isIPv6(s)) {
    const bytes = parseIPv6(s);
    return bytes ? { version: 6, bytes } : null;
  }
  return null;
}

function parseIPv6(s: string): Uint8Array | null {
  // A trailing dotted IPv4 part (`::ffff:1.2.3.4`) becomes two hex groups.
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = tail.split('.').map(Number);
    s = `${s.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = s.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length > 1 ? [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest] : head;
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  });
  return bytes;
}

/** `10.0.0.0/8`, `fd00::/8` → the address and its prefix length; null unless the prefix fits the address's version. */
export function parseCidr(text: string): { ip: IpAddress; bits: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIpAddress(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  return bits <= (ip.version === 4 ? 32 : 128) ? { ip, bits } : null;
}

/** Whether the first `bits` bits of two addresses of the same version agree. */
export function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if ((a[i >> 3] & mask) !== (b[i >> 3] & mask)) return false;
  }
  return true;
}

const bytesOf = (text: string) => (parseIpAddress(text) as IpAddress).bytes;
const V4_MAPPED = bytesOf('::ffff:0.0.0.0');
const NAT64 = bytesOf('64:ff9b::');

/**
 * The IPv4 address an IPv6 address stands for (IPv4-mapped `::ffff:0:0/96`, NAT64 well-known
 * prefix `64:ff9b::/96`), or the address itself when it is IPv4 or an ordinary IPv6 address.
 */
export function effectiveAddress(ip: IpAddress): IpAddress {
  if (ip.version === 6 && (samePrefix(ip.bytes, V4_MAPPED, 96) || samePrefix(ip.bytes, NAT64, 96))) {
    return { version: 4, bytes: ip.bytes.slice(12) };
  }
  return ip;
}

const METADATA = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16', 'fd00:ec2::254'].map(bytesOf);
const RANGES: Array<{ prefix: Uint8Array; bits: number; kind: RefusedAddressKind }> = [
  { prefix: bytesOf('0.0.0.0'), bits: 8, kind: 'unspecified' },
  { prefix: bytesOf('::'), bits: 128, kind: 'unspecified' },
  { prefix: bytesOf('169.254.0.0'), bits: 16, kind: 'link-local' },
  { prefix: bytesOf('fe80::'), bits: 10, kind: 'link-local' },
];

/** Why an address is always refused, or null. Text that is not an IP address → null. */
export function refusedAddressKind(address: string): RefusedAddressKind | null {
  const parsed = parseIpAddress(address);
  if (!parsed) return null;
  const ip = effectiveAddress(parsed);
  if (METADATA.some((m) => samePrefix(ip.bytes, m, m.length * 8))) return 'cloud metadata';
  return RANGES.find((r) => samePrefix(ip.bytes, r.prefix, r.bits))?.kind ?? null;
}
