import { effectiveAddress, inRange, IpAddress, parseCidr, parseIpAddress } from './ip-address';

/**
 * The hosts outbound connections may reach (JIRA_ALLOWED_HOSTS): comma-separated entries,
 * each one of
 *
 * - a host name, `jira.acme.com` (exact, case-insensitive)
 * - `*.acme.com`: any name below acme.com (not acme.com itself)
 * - an IP address, `10.0.0.5` or `fd12::5` (brackets optional)
 * - a CIDR range, `10.0.0.0/8`, `fd00::/8`
 *
 * Names match the host as written in the URL; addresses and ranges match an address written
 * in the URL (an IPv4-mapped IPv6 address counts as its IPv4 address). An empty list allows
 * any host. Ports and schemes are not part of an entry.
 */
export interface HostAllowList {
  /** The entries, normalised (lower case, no brackets, no trailing dot). Empty: any host. */
  readonly entries: readonly string[];
  allows(host: string): boolean;
}

type Entry =
  | { kind: 'name'; name: string }
  | { kind: 'subdomains'; suffix: string }
  | { kind: 'range'; ip: IpAddress; bits: number };

const LABEL = '[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?';
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

export class HostAllowListError extends Error {}

/** `jira.acme.com.` / `[::1]` / `JIRA.acme.com` → the form entries are matched in. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

const notAnEntry = (raw: string) =>
  new HostAllowListError(`'${raw}' is not a host name, *.domain, IP address or CIDR range (no scheme, port or path)`);

function parseEntry(raw: string): { entry: Entry; text: string } {
  const text = normalizeHost(raw);
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const cidr = parseCidr(text);
    if (!cidr && !parseIpAddress(text.slice(0, slash))) throw notAnEntry(raw);
    if (!cidr) throw new HostAllowListError(`'${raw}' is not a valid CIDR range (e.g. 10.0.0.0/8 or fd00::/8)`);
    const { ip, bits } = cidr;
    const eff = effectiveAddress(ip);
    const effBits = eff === ip ? bits : Math.max(0, bits - 96);
    return { entry: { kind: 'range', ip: eff, bits: effBits }, text };
  }
  const ip = parseIpAddress(text);
  if (ip) {
    const eff = effectiveAddress(ip);
    return { entry: { kind: 'range', ip: eff, bits: eff.kind() === 'ipv4' ? 32 : 128 }, text };
  }
  if (text.startsWith('*.') && HOST_NAME.test(text.slice(2))) return { entry: { kind: 'subdomains', suffix: text.slice(1) }, text };
  if (HOST_NAME.test(text)) return { entry: { kind: 'name', name: text }, text };
  throw notAnEntry(raw);
}

/** Parses the comma-separated list; throws HostAllowListError naming the first bad entry. */
export function parseHostAllowList(text: string | undefined): HostAllowList {
  const parsed = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseEntry);
  const entries = parsed.map((p) => p.entry);
  return {
    entries: parsed.map((p) => p.text),
    allows(host: string): boolean {
      if (entries.length === 0) return true;
      const h = normalizeHost(host);
      const ip = parseIpAddress(h);
      if (ip) {
        const eff = effectiveAddress(ip);
        return entries.some((e) => e.kind === 'range' && inRange(eff, e.ip, e.bits));
      }
      return entries.some((e) => (e.kind === 'name' ? e.name === h : e.kind === 'subdomains' ? h.endsWith(e.suffix) && h.length > e.suffix.length : false));
    },
  };
}
