import type { JiraTransport } from './jira-transport';
import type { JiraFlavour, JiraUser, JiraUserId } from './jira-types';

export const DEFAULT_USER_CACHE_TTL_MS = 5 * 60_000;
/** Past this many entries, expired ones are swept before a new one is added. */
const SWEEP_AT = 1_000;

type CacheEntry = { expiresAt: number; value: Promise<JiraUserId | null> };

/**
 * Finds Jira users by email and remembers each answer, "nobody" included, for `ttlMs`.
 * A failed lookup is forgotten so the next call asks Jira again.
 */
export class JiraUserLookup {
  readonly #cache = new Map<string, CacheEntry>();

  constructor(
    private readonly transport: JiraTransport,
    private readonly flavour: () => Promise<JiraFlavour>,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  findByEmail(email: string): Promise<JiraUserId | null> {
    const wanted = email.trim().toLowerCase();
    if (!wanted) return Promise.resolve(null);
    const now = this.now();
    const cached = this.#cache.get(wanted);
    if (cached && cached.expiresAt > now) return cached.value;
    if (this.#cache.size >= SWEEP_AT) {
      for (const [k, e] of this.#cache) if (e.expiresAt <= now) this.#cache.delete(k);
    }
    const value = this.lookUp(wanted);
    const entry: CacheEntry = { expiresAt: now + this.ttlMs, value };
    this.#cache.set(wanted, entry);
    value.catch(() => {
      if (this.#cache.get(wanted) === entry) this.#cache.delete(wanted);
    });
    return value;
  }

  /** An exact visible email wins; else a single active match whose email is hidden. */
  private async lookUp(email: string): Promise<JiraUserId | null> {
    const cloud = (await this.flavour()) === 'cloud';
    const users = await this.transport.request<unknown>({
      method: 'GET',
      path: 'user/search',
      query: cloud ? { query: email, maxResults: 20 } : { username: email, maxResults: 20 },
    });
    const candidates = (Array.isArray(users) ? (users as JiraUser[]) : []).filter(
      (u) => u && u.active !== false && u.accountType !== 'app' && (cloud ? !!u.accountId : !!u.name),
    );
    const exact = candidates.find((u) => u.emailAddress?.toLowerCase() === email);
    const chosen = exact ?? (candidates.length === 1 && !candidates[0].emailAddress ? candidates[0] : undefined);
    if (!chosen) return null;
    return cloud ? { accountId: chosen.accountId as string } : { name: chosen.name as string };
  }
}
