// Webhook registration over REST.
//  - /rest/webhooks/1.0/webhook: Jira's admin webhook API, on Cloud and on Data Center; needs Administer Jira.
//    Body {name, url, events, filters: {"issue-related-events-section": JQL}, excludeBody}; Cloud also takes
//    `secret` and then signs deliveries (X-Hub-Signature). Data Center ignores `secret`: put ?secret= in the url.
//  - /rest/api/2/webhook on Cloud is the dynamic webhook API of Connect and OAuth 2.0 apps; an API token gets 403.
import { parseJql } from './jql';
import { RestCtx, Route, noContent, ok, route } from './router';
import { fail, isObject } from './util';
import type { Hook } from './webhooks';

interface AdminWebhook {
  id: number;
  name: string;
  url: string;
  events: string[];
  jql?: string;
  excludeBody: boolean;
  lastUpdated: number;
  hook: Hook;
}

const registry = new WeakMap<object, { next: number; list: AdminWebhook[] }>();
function webhooksOf(c: RestCtx) {
  let r = registry.get(c.webhooks);
  if (!r) registry.set(c.webhooks, (r = { next: 1, list: [] }));
  return r;
}

const baseUrl = (c: RestCtx) => c.store.apiUrl.replace(/\/rest\/api\/2\/$/, '');

function json(c: RestCtx, w: AdminWebhook) {
  return {
    self: `${baseUrl(c)}/rest/webhooks/1.0/webhook/${w.id}`,
    name: w.name,
    url: w.url,
    events: w.events,
    filters: { 'issue-related-events-section': w.jql ?? '' },
    excludeBody: w.excludeBody,
    enabled: true,
    lastUpdated: w.lastUpdated,
    lastUpdatedUser: c.store.flavour === 'cloud' ? c.actor.accountId : c.actor.key,
    lastUpdatedDisplayName: c.actor.displayName,
  };
}

function admin(c: RestCtx) {
  c.store.permissions.require('ADMINISTER');
}

function find(c: RestCtx): AdminWebhook {
  const w = webhooksOf(c).list.find((x) => String(x.id) === c.params[0]);
  return w ?? fail(404, `Webhook with id ${c.params[0]} does not exist.`);
}

function register(c: RestCtx) {
  admin(c);
  const b = isObject(c.body) ? c.body : fail(400, 'Invalid request payload. Refer to the REST API documentation and try again.');
  const errors: Record<string, string> = {};
  if (typeof b.name !== 'string' || !b.name.trim()) errors.name = 'Name is required.';
  if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)) errors.url = 'A valid URL is required.';
  if (Object.keys(errors).length) fail(400, [], errors);
  const filters = isObject(b.filters) ? b.filters : {};
  const jql = typeof filters['issue-related-events-section'] === 'string' && filters['issue-related-events-section'].trim() ? filters['issue-related-events-section'] : undefined;
  if (jql) parseJql(c.store, jql); // Jira refuses a filter it cannot parse
  const events = Array.isArray(b.events) ? b.events.map(String) : [];
  const secret = c.store.flavour === 'cloud' && typeof b.secret === 'string' && b.secret ? b.secret : undefined;
  const hook: Hook = { url: String(b.url), secret, style: 'hmac', events, jql, excludeBody: b.excludeBody === true };
  const r = webhooksOf(c);
  const w: AdminWebhook = { id: r.next++, name: String(b.name), url: hook.url, events, jql, excludeBody: hook.excludeBody!, lastUpdated: Date.now(), hook };
  r.list.push(w);
  c.webhooks.hooks.push(hook);
  return ok(json(c, w), 201);
}

function remove(c: RestCtx) {
  admin(c);
  const w = find(c);
  const r = webhooksOf(c);
  r.list.splice(r.list.indexOf(w), 1);
  c.webhooks.hooks.splice(c.webhooks.hooks.indexOf(w.hook), 1);
  return noContent();
}

export function registeredWebhooks(c: RestCtx) {
  return webhooksOf(c).list.map((w) => json(c, w));
}

export const adminWebhookRoutes: Route[] = [
  route('GET', '/webhook', (c) => (admin(c), ok(registeredWebhooks(c)))),
  route('POST', '/webhook', register),
  route('GET', '/webhook/:id', (c) => (admin(c), ok(json(c, find(c))))),
  route('DELETE', '/webhook/:id', remove),
];

const appsOnly = () => fail(403, 'Only Connect and OAuth 2.0 apps can use this operation.');
export const dynamicWebhookRoutes: Route[] = ['GET', 'POST', 'DELETE'].map((m) => route(m, '/webhook', appsOnly, { v3: true, only: 'cloud' }));
