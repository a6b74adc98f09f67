// Jira's admin webhook API (`rest/webhooks/1.0/webhook`), on Cloud and on Data Center. It needs
// the "Administer Jira" global permission: without it Jira answers 403. Cloud takes a `secret`
// and signs deliveries with it (X-Hub-Signature); Data Center has no such field, so the caller
// puts `?secret=` in the URL instead.
import type { JiraTransport } from './jira-transport';

/** What to register: where Jira posts, which events, and the JQL filter of issue events. */
export interface JiraWebhookSpec {
  name: string;
  url: string;
  events: string[];
  jql: string;
  /** Cloud only: Jira signs each delivery with it. */
  secret?: string;
}

/** A webhook as Jira lists it (secrets are never shown back). */
export interface JiraWebhook {
  /** The id at the end of `self`. */
  id: string;
  self: string;
  name: string;
  url: string;
  events: string[];
  jql: string;
  enabled: boolean;
}

const ROUTE = 'webhook';

export async function listWebhooks(transport: JiraTransport): Promise<JiraWebhook[]> {
  const data = await transport.request<unknown>({ method: 'GET', path: 'webhook', route: ROUTE, api: 'webhooks' });
  return (Array.isArray(data) ? data : []).map(normalizeWebhook);
}

export async function createWebhook(transport: JiraTransport, spec: JiraWebhookSpec): Promise<JiraWebhook> {
  const body: Record<string, unknown> = {
    name: spec.name,
    url: spec.url,
    events: spec.events,
    filters: { 'issue-related-events-section': spec.jql },
    excludeBody: false,
    ...(spec.secret ? { secret: spec.secret } : {}),
  };
  // A retry after a lost answer could register a second webhook; the caller's next call finds and removes it.
  const data = await transport.request<unknown>({ method: 'POST', path: 'webhook', route: ROUTE, api: 'webhooks', body, idempotent: false });
  return normalizeWebhook(data);
}

/** true when removed, false when Jira had no such webhook (so a repeat is harmless). */
export async function deleteWebhook(transport: JiraTransport, id: string): Promise<boolean> {
  const done = await transport.requestOrNull({
    method: 'DELETE',
    path: `webhook/${encodeURIComponent(id)}`,
    route: 'webhook/{id}',
    api: 'webhooks',
  });
  return done !== null;
}

function normalizeWebhook(raw: unknown): JiraWebhook {
  const w = (raw ?? {}) as Record<string, any>;
  const self = String(w.self ?? '');
  const filters = (w.filters ?? {}) as Record<string, unknown>;
  return {
    id: /\/(\d+)\/?$/.exec(self)?.[1] ?? String(w.id ?? ''),
    self,
    name: String(w.name ?? ''),
    url: String(w.url ?? ''),
    events: Array.isArray(w.events) ? w.events.map(String) : [],
    jql: typeof filters['issue-related-events-section'] === 'string' ? filters['issue-related-events-section'] : '',
    enabled: w.enabled !== false,
  };
}
