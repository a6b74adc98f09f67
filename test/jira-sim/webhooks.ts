// Webhook events (Jira → service): payload building and delivery.
//
// Payload shapes follow Atlassian's webhook documentation
// (https://developer.atlassian.com/cloud/jira/platform/webhooks/ and
//  https://developer.atlassian.com/server/jira/platform/webhooks/) and the Cloud `jira:issue_created`
// sample in Port's Jira guide (test/fixtures/jira-webhooks/README.md, Sources): `timestamp`, `webhookEvent`, `issue_event_type_name`,
// `user`, `issue{id,self,key,fields}`, `changelog{id,items:[{field,fieldtype,fieldId,from,fromString,to,toString}]}`.
// Data Center differs: users carry name/key instead of accountId, changelog items have no `fieldId`, and
// there is no X-Atlassian-Webhook-Identifier/-Retry header (dedupe there by issue + timestamp).
import { createHmac, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { userJson } from './render';
import type { Change, SimStore } from './store';
import type { Flavour, SimWebhookEvent, WebhookRegistration } from './types';

export function buildEvent(store: SimStore, c: Change): SimWebhookEvent {
  const issueFull = () => store.issueJson(c.issue, ['*all', '-comment']);
  const body: Record<string, unknown> = { timestamp: c.at };
  const user = userJson(store, c.actor);
  switch (c.kind) {
    case 'created':
      Object.assign(body, { webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created', user, issue: issueFull() });
      break;
    case 'deleted':
      Object.assign(body, { webhookEvent: 'jira:issue_deleted', issue_event_type_name: 'issue_deleted', user, issue: issueFull() });
      break;
    case 'updated': {
      const items = store.flavour === 'cloud' ? c.items : c.items.map(({ fieldId: _omit, ...rest }) => rest);
      Object.assign(body, {
        webhookEvent: 'jira:issue_updated',
        issue_event_type_name: c.typeName,
        user,
        issue: issueFull(),
        changelog: { id: store.changelogId(), items },
      });
      break;
    }
    case 'comment': {
      const comment: Record<string, unknown> = store.commentJson(c.issue, c.comment);
      if (c.comment.adf) comment.body = c.comment.adf; // Cloud sends what it stores: ADF
      // Data Center (since 7.1) sends the comment alone; the issue id is only in comment.self.
      const dcAlone = store.realComments && store.flavour === 'datacenter';
      const full = store.issueJson(c.issue, ['summary', 'status', 'issuetype', 'project', 'assignee', 'priority']);
      Object.assign(body, { webhookEvent: `comment_${c.event ?? 'created'}`, comment, ...(dcAlone ? {} : { issue: full }) });
      break;
    }
  }
  return { id: randomUUID(), timestamp: c.at, body: structuredClone(body) };
}

export interface Hook {
  url: string;
  secret?: string;
  style: 'hmac' | 'query';
  /** set for webhooks registered through the REST API: the events to send and the JQL filter */
  events?: string[];
  jql?: string;
  excludeBody?: boolean;
}

export class WebhookDispatcher {
  readonly hooks: Hook[] = [];
  readonly events: SimWebhookEvent[] = [];
  readonly pending: SimWebhookEvent[] = [];
  readonly delivered: Array<{ event: SimWebhookEvent; status: number }> = [];
  private chain: Promise<unknown> = Promise.resolve();
  /** event id → the filtered hooks whose JQL matched the issue when the event happened */
  private readonly matched = new Map<string, Set<Hook>>();

  constructor(private readonly flavour: Flavour) {}

  register(h: WebhookRegistration): void {
    this.hooks.push({ url: h.url, secret: h.secret, style: h.style ?? (this.flavour === 'cloud' ? 'hmac' : 'query') });
  }

  /** auto: deliver in the background (in order, no automatic retry); manual: queue in `pending`. */
  emit(event: SimWebhookEvent, mode: 'auto' | 'manual', jqlMatches: (jql: string) => boolean = () => true): void {
    this.matched.set(event.id, new Set(this.hooks.filter((h) => h.jql === undefined || jqlMatches(h.jql))));
    this.events.push(event);
    if (mode === 'manual') this.pending.push(event);
    else this.chain = this.chain.then(() => this.deliver(event)).catch(() => undefined);
  }

  /** POSTs `times` copies to every hook; X-Atlassian-Webhook-Retry counts up from retryStart. Status 0 = network error. */
  async deliver(event: SimWebhookEvent, opts: { times?: number; retryStart?: number } = {}): Promise<number[]> {
    const statuses: number[] = [];
    for (let k = 0; k < (opts.times ?? 1); k++) {
      for (const hook of this.hooks) {
        if (!this.wants(hook, event)) continue;
        const status = await this.post(hook, event, (opts.retryStart ?? 0) + k);
        this.delivered.push({ event, status });
        statuses.push(status);
      }
    }
    return statuses;
  }

  /** Resolves when every automatic delivery started so far has finished. */
  async idle(): Promise<void> {
    let c: Promise<unknown>;
    do {
      c = this.chain;
      await c;
    } while (c !== this.chain);
  }

  private wants(hook: Hook, event: SimWebhookEvent): boolean {
    if (hook.events?.length && !hook.events.includes(String(event.body.webhookEvent))) return false;
    return hook.jql === undefined || (this.matched.get(event.id)?.has(hook) ?? false);
  }

  private post(hook: Hook, event: SimWebhookEvent, retry: number): Promise<number> {
    const raw = Buffer.from(hook.excludeBody ? '' : JSON.stringify(event.body));
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(raw.length),
      'user-agent': this.flavour === 'cloud' ? 'Atlassian Webhook HTTP Client' : 'Atlassian HttpClient 4.4.1 / JIRA-9.12.15 (912015) / Default',
    };
    if (this.flavour === 'cloud') {
      headers['x-atlassian-webhook-identifier'] = event.id;
      headers['x-atlassian-webhook-retry'] = String(retry);
      headers['x-atlassian-webhook-flow'] = 'Primary';
    }
    let url = hook.url;
    if (hook.secret && hook.style === 'hmac') headers['x-hub-signature'] = 'sha256=' + createHmac('sha256', hook.secret).update(raw).digest('hex');
    if (hook.secret && hook.style === 'query') url += (url.includes('?') ? '&' : '?') + 'secret=' + encodeURIComponent(hook.secret);
    return new Promise((resolve) => {
      try {
        const lib = url.startsWith('https:') ? https : http;
        const req = lib.request(url, { method: 'POST', headers, agent: false, timeout: 10_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve(0));
        req.end(raw);
      } catch {
        resolve(0); // e.g. an invalid URL
      }
    });
  }
}
