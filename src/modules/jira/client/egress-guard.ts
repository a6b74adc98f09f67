import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { HostAllowList, normalizeHost, parseHostAllowList } from '@app/common/net/host-allow-list';
import { parseIpAddress, refusedAddressKind } from '@app/common/net/ip-address';

/**
 * Where the Jira client may connect (SSRF guard). Two checks:
 *
 * - the host written in apiUrl (`refusalFor`): it must be on the allow-list (JIRA_ALLOWED_HOSTS;
 *   empty = any host), must not be a cloud metadata host name, and, when it is an IP address,
 *   must not be unspecified, link-local or a metadata address (see common/net/ip-address.ts).
 *   The settings API runs it on PUT and the client before every request;
 * - every address a host name resolves to, at connection time: the agents' DNS `lookup` hook
 *   refuses the connection when any of them is refused, so a name that later resolves to a
 *   metadata address (DNS rebinding) is stopped where the socket is opened.
 */

/** Names of cloud metadata services; they resolve to link-local addresses, but say so plainly. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog']);

/** Raised by the lookup hook; the client turns it into a JiraError of kind `egress_denied`. */
export class EgressDeniedError extends Error {
  override readonly name = 'EgressDeniedError';
  readonly code = 'EGRESS_DENIED';
}

export type Resolver = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

interface AgentPair {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

export interface EgressGuardOptions {
  allowList?: HostAllowList;
  /** DNS resolution behind the lookup hook; `dns.lookup` by default (tests substitute it). */
  resolve?: Resolver;
}

export class EgressGuard {
  readonly allowList: HostAllowList;
  /** The connect-time hook: resolves like `dns.lookup`, refuses forbidden addresses. */
  readonly lookup: LookupFunction;
  /** Pooled connections (keep-alive, as Node's global agent) for idempotent requests. */
  readonly pooled: AgentPair;
  /** A fresh connection per request, for non-idempotent ones (see JiraClient). */
  readonly fresh: AgentPair;

  constructor(options: EgressGuardOptions = {}) {
    this.allowList = options.allowList ?? parseHostAllowList('');
    const resolve: Resolver = options.resolve ?? ((host, opts, cb) => dns.lookup(host, opts, cb));
    this.lookup = guardedLookup(resolve);
    const pooled = { keepAlive: true, scheduling: 'lifo' as const, timeout: 5_000, lookup: this.lookup };
    const fresh = { keepAlive: false, lookup: this.lookup };
    this.pooled = { httpAgent: new http.Agent(pooled), httpsAgent: new https.Agent(pooled) };
    this.fresh = { httpAgent: new http.Agent(fresh), httpsAgent: new https.Agent(fresh) };
  }

  /** Why the host of `url` may not be reached (a sentence naming the host), or null. */
  refusalFor(url: string): string | null {
    let hostname: string;
    try {
      hostname = new URL(url).hostname;
    } catch {
      return 'apiUrl is not a valid URL';
    }
    const host = normalizeHost(hostname);
    if (METADATA_HOSTS.has(host)) return `${host} is a cloud metadata host`;
    const kind = refusedAddressKind(host);
    if (kind) return `${host} is ${article(kind)} ${kind} address`;
    if (!this.allowList.allows(host)) {
      return `${host} is not in JIRA_ALLOWED_HOSTS (${this.allowList.entries.join(', ')})`;
    }
    return null;
  }

  /** Closes pooled sockets (tests, shutdown). */
  destroy(): void {
    for (const a of [this.pooled.httpAgent, this.pooled.httpsAgent, this.fresh.httpAgent, this.fresh.httpsAgent]) a.destroy();
  }
}

const article = (kind: string) => (/^[aeiou]/.test(kind) ? 'an' : 'a');

/**
 * A `lookup` for `net.connect`: resolves every address of the name and fails with
 * EgressDeniedError when any of them is refused (rather than picking a harmless one: a
 * name that mixes a metadata address in is hostile). IP literals never reach a lookup
 * (Node connects to them directly); `refusalFor` covers those.
 */
function guardedLookup(resolve: Resolver): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions | number | undefined, callback: (...args: unknown[]) => void) => {
    const opts: dns.LookupOptions = typeof options === 'number' ? { family: options } : { ...(options ?? {}) };
    resolve(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const list = Array.isArray(addresses) ? addresses : [];
      for (const a of list) {
        const kind = refusedAddressKind(a.address);
        if (kind) {
          return callback(new EgressDeniedError(`${hostname} resolves to ${a.address}, ${article(kind)} ${kind} address; Jira connections there are refused`));
        }
        if (!parseIpAddress(a.address)) return callback(new EgressDeniedError(`${hostname} resolved to something that is not an IP address`));
      }
      if (list.length === 0) {
        const none: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        none.code = 'ENOTFOUND';
        return callback(none);
      }
      if (opts.all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  }) as LookupFunction;
}
