import {
  WEBHOOK_EVENTS, isOurs, manualSteps, sameAsSpec, specFingerprint, webhookJql, webhookSpec,
} from '@app/modules/jira-settings/domain/jira-webhook-spec';
import { parseJiraWebhook } from '@app/modules/sync/inbound/parse-webhook';

const URL_ = 'https://cb.example.com/webhooks/jira/web';
const base = { url: URL_, jiraProjectKeys: ['CHK'], projectKey: 'web', secret: 'whsec_a b' };

describe('the webhook the bridge registers', () => {
  it('signs on Cloud and carries ?secret= on Data Center', () => {
    expect(webhookSpec({ ...base, flavour: 'cloud' })).toEqual({ name: 'crashbridge web', url: URL_, events: WEBHOOK_EVENTS, jql: 'project = CHK', secret: 'whsec_a b' });
    expect(webhookSpec({ ...base, flavour: 'datacenter' })).toEqual({ name: 'crashbridge web', url: `${URL_}?secret=whsec_a%20b`, events: WEBHOOK_EVENTS, jql: 'project = CHK' });
  });

  it('asks only for events the inbound sync reads', () => {
    for (const webhookEvent of WEBHOOK_EVENTS) {
      const r = parseJiraWebhook({ webhookEvent, timestamp: 1, issue: { id: '1', key: 'CHK-1' }, comment: { id: '2', body: 'x' } });
      expect({ webhookEvent, ok: r.ok }).toEqual({ webhookEvent, ok: true });
    }
  });

  it('quotes a project key JQL would not read bare', () => {
    expect(webhookJql(['CHK'])).toBe('project = CHK');
    expect(webhookJql(['A "B"'])).toBe('project = "A \\"B\\""');
  });

  it('covers every project a route sends tickets to', () => {
    expect(webhookJql(['CHK', 'MOB'])).toBe('project in (CHK, MOB)');
    expect(webhookJql(['CHK', 'A B'])).toBe('project in (CHK, "A B")');
    const spec = webhookSpec({ ...base, jiraProjectKeys: ['CHK', 'MOB'], flavour: 'cloud' });
    expect(spec.jql).toBe('project in (CHK, MOB)');
    expect(manualSteps({ flavour: 'cloud', url: URL_, jiraProjectKeys: ['CHK', 'MOB'] }).steps).toContain('JQL filter: project in (CHK, MOB)');
  });

  it('fingerprints what was registered, secret included, events in any order', () => {
    const spec = webhookSpec({ ...base, flavour: 'cloud' });
    expect(specFingerprint({ ...spec, events: [...spec.events].reverse() })).toBe(specFingerprint(spec));
    expect(specFingerprint({ ...spec, secret: 'other' })).not.toBe(specFingerprint(spec));
    expect(specFingerprint(spec)).not.toContain('whsec');
  });

  it('knows its own webhooks by URL, and a current one by URL, events and filter', () => {
    const spec = webhookSpec({ ...base, flavour: 'datacenter' });
    const hook = { id: '1', self: 's', name: 'n', url: spec.url, events: [...spec.events].reverse(), jql: ' project = CHK ', enabled: true };
    expect(isOurs(hook, URL_)).toBe(true);
    expect(isOurs({ ...hook, url: `${URL_}x` }, URL_)).toBe(false);
    expect(sameAsSpec(hook, spec)).toBe(true);
    expect(sameAsSpec({ ...hook, jql: 'project = OTHER' }, spec)).toBe(false);
    expect(sameAsSpec({ ...hook, url: `${URL_}?secret=old` }, spec)).toBe(false);
    expect(sameAsSpec({ ...hook, events: ['jira:issue_updated'] }, spec)).toBe(false);
  });

  it('lists the manual steps without the secret', () => {
    const steps = manualSteps({ flavour: 'datacenter', url: URL_, jiraProjectKeys: ['CHK'] });
    expect(steps).toMatchObject({ url: URL_, jql: 'project = CHK', events: WEBHOOK_EVENTS });
    expect(steps.secret).toContain('?secret=');
    expect(steps.steps.join('\n')).toContain(URL_);
  });
});
