import { createHash } from 'node:crypto';
import type { JiraFlavour, JiraWebhook, JiraWebhookSpec } from '@app/modules/jira/client';

/** The events the inbound sync reads (src/modules/sync/inbound/parse-webhook.ts); the others would be dropped. */
export const WEBHOOK_EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated'];

/** Reconciliations in a row that find changes no webhook brought before the webhook is reported as missing. */
export const UNEXPLAINED_RESYNCS_WARNING = 3;

const jqlProject = (key: string) => (/^[A-Z][A-Z0-9_]*$/i.test(key) ? key : `"${key.replace(/["\\]/g, '\\$&')}"`);

/**
 * `project = KEY`, or `project in (KEY, MOB)` with routes to other projects: Jira sends only the
 * issue events of the projects tickets may be created in (jiraProjectKeys).
 */
export function webhookJql(projectKeys: string[]): string {
  const keys = projectKeys.map(jqlProject);
  return keys.length === 1 ? `project = ${keys[0]}` : `project in (${keys.join(', ')})`;
}

/**
 * The webhook to register: Cloud signs deliveries with the secret (X-Hub-Signature); Data Center
 * cannot, so the secret travels in the URL (`?secret=`), which the webhook route accepts too.
 */
export function webhookSpec(o: { flavour: JiraFlavour; url: string; jiraProjectKeys: string[]; projectKey: string; secret: string }): JiraWebhookSpec {
  const base = { name: `crashbridge ${o.projectKey}`, events: WEBHOOK_EVENTS, jql: webhookJql(o.jiraProjectKeys) };
  return o.flavour === 'cloud'
    ? { ...base, url: o.url, secret: o.secret }
    : { ...base, url: `${o.url}?secret=${encodeURIComponent(o.secret)}` };
}

/** Identifies a registration (URL, events, filter and secret) without keeping the secret. */
export function specFingerprint(spec: JiraWebhookSpec): string {
  const canonical = JSON.stringify([spec.url, [...spec.events].sort(), spec.jql.trim(), spec.secret ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** A webhook of this integration: its URL is ours, whatever query string it carries. */
export const isOurs = (w: JiraWebhook, url: string) => w.url.split('?')[0] === url;

/** Jira shows back what it was given, but for the secret (compared through the stored fingerprint). */
export function sameAsSpec(w: JiraWebhook, spec: JiraWebhookSpec): boolean {
  const events = (e: string[]) => [...e].sort().join(',');
  return w.url === spec.url && events(w.events) === events(spec.events) && w.jql.trim() === spec.jql.trim() && w.enabled;
}

/** What a Jira administrator does by hand when the bridge may not register the webhook. */
export interface ManualWebhookSteps {
  url: string;
  events: string[];
  jql: string;
  secret: string;
  steps: string[];
}

export function manualSteps(o: { flavour: JiraFlavour | null; url: string; jiraProjectKeys: string[] }): ManualWebhookSteps {
  const jql = webhookJql(o.jiraProjectKeys);
  const secret =
    o.flavour === 'datacenter'
      ? `Data Center cannot sign webhooks: register the URL with ?secret=<webhook secret> appended.`
      : `Jira Cloud: paste the webhook secret into the webhook's Secret field (deliveries are then signed); without it, append ?secret=<webhook secret> to the URL.`;
  return {
    url: o.url,
    events: WEBHOOK_EVENTS,
    jql,
    secret: `${secret} The secret was shown when the integration was created; rotate it (POST …/integrations/jira/webhook-secret) if it is lost.`,
    steps: [
      'Ask a Jira administrator (the "Administer Jira" global permission) to open System → WebHooks → Create a WebHook.',
      `URL: ${o.url}`,
      `Events: issue created, updated, deleted; comment created, updated (${WEBHOOK_EVENTS.join(', ')}).`,
      `JQL filter: ${jql}`,
      secret,
    ],
  };
}
