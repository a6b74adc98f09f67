import type ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import { parseIpAddress } from '@app/common/net/ip-address';

const WINDOW_MS = 60_000;
/** Sources tracked at once; the least recently seen are forgotten first. */
const MAX_SOURCES = 10_000;

interface Window {
  rejected: number;
  endsAt: number;
}

/**
 * Rejected webhook deliveries (wrong secret, no such webhook) per source address, in fixed
 * one-minute windows held in this process's memory. Past the limit a source is answered
 * 429 until its window ends, before any database look-up. An IPv6 source counts by its
 * /64, which one host usually holds whole.
 */
export class RejectionLimiter {
  private readonly windows = new LRUCache<string, Window>({ max: MAX_SOURCES });

  /** `perMinute` 0: no limit. */
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until deliveries from `address` are checked again; 0: they are checked now. */
  retryAfter(address: string): number {
    if (this.perMinute === 0) return 0;
    const w = this.windows.get(sourceOf(address));
    const left = w ? w.endsAt - this.now() : 0;
    return left > 0 && w!.rejected >= this.perMinute ? Math.ceil(left / 1000) : 0;
  }

  /** Counts one rejected delivery from `address`. */
  reject(address: string): void {
    if (this.perMinute === 0) return;
    const source = sourceOf(address);
    const w = this.windows.get(source);
    if (w && w.endsAt > this.now()) w.rejected++;
    else this.windows.set(source, { rejected: 1, endsAt: this.now() + WINDOW_MS });
  }
}

/** The address as counted: IPv4 (also when mapped into IPv6), or an IPv6 /64. */
export function sourceOf(address: string): string {
  const ip = parseIpAddress(address);
  if (!ip) return address;
  if (ip.kind() === 'ipv4') return ip.toString();
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}
