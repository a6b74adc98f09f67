import type ipaddr from 'ipaddr.js';
import { FixedWindowCounter } from '@app/common/fixed-window-counter';
import { parseIpAddress } from '@app/common/net/ip-address';

/**
 * Rejected webhook deliveries (wrong secret, no such webhook) per source address, in fixed
 * one-minute windows held in this process's memory. Past the limit a source is answered
 * 429 until its window ends, before any database look-up. An IPv6 source counts by its
 * /64, which one host usually holds whole.
 */
export class RejectionLimiter {
  private readonly rejected: FixedWindowCounter;

  /** `perMinute` 0: no limit. */
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rejected = new FixedWindowCounter({ limit: perMinute, windowMs: 60_000, maxKeys: 10_000 });
  }

  /** Seconds until deliveries from `address` are checked again; 0: they are checked now. */
  retryAfter(address: string): number {
    return this.perMinute === 0 ? 0 : this.rejected.retryAfter(sourceOf(address), this.now());
  }

  /** Counts one rejected delivery from `address`. */
  reject(address: string): void {
    if (this.perMinute !== 0) this.rejected.count(sourceOf(address), this.now());
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
