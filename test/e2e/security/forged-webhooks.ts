// Forged and replayed Jira webhooks: refused with 401, applied once, never undoing a newer change.
import request from 'supertest';
import { JiraSimulator } from '../../jira-sim';
import { storedDigest } from '../../support/fuzz';
import { activity, getGroup, hubSignature, linkedGroups, postWebhook, waitOutboxIdle } from '../../support/sync';
import { projectIdOf, TestApp } from '../../support/test-app';
import { SecuritySuite } from './suite';

export function forgedWebhookSpecs(suite: SecuritySuite): void {
  describe('forged and replayed webhooks', () => {
    const { ADMIN_TOKEN, configure, newProject, webhookSecrets } = suite;
    let app: TestApp;
    let cloud: JiraSimulator;
    beforeAll(() => ({ app, cloud } = suite));

    it('refuses forged deliveries with 401 and applies nothing', async () => {
      const p = await newProject();
      const secret = (await configure(p.key, cloud)).webhook.secret as string;
      const keys = await linkedGroups(app, p.key, cloud, ['fp-0']);
      cloud.pendingWebhooks.splice(0);
      cloud.transition(keys.get('fp-0')!, 'Done');
      const [event] = cloud.pendingWebhooks.splice(0);
      const raw = JSON.stringify(event.body);
      const projectId = await projectIdOf(app, p.key);
      const before = await storedDigest(app, projectId, ['webhook.rejected']);
      const url = `/webhooks/jira/${p.key}`;
      const post = (path: string, headers: Record<string, string>, body = raw) => {
        let r = app.http().post(path).set('Content-Type', 'application/json');
        for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
        return r.send(body);
      };
      const hex = hubSignature(secret, raw).slice('sha256='.length);
      const forgeries: Array<[string, request.Test]> = [
        ['no signature, no secret', post(url, {})],
        ['signed with another secret', post(url, { 'X-Hub-Signature': hubSignature(`${secret}x`, raw) })],
        ['signature of another body', post(url, { 'X-Hub-Signature': hubSignature(secret, raw) }, raw.replace('"Done"', '"To Do"'))],
        ['a truncated signature', post(url, { 'X-Hub-Signature': `sha256=${hex.slice(0, 32)}` })],
        ['the right signature as sha1', post(url, { 'X-Hub-Signature': `sha1=${hex}` })],
        ['the signature without its scheme', post(url, { 'X-Hub-Signature': hex })],
        ['an empty signature', post(url, { 'X-Hub-Signature': 'sha256=' })],
        ['the secret itself as signature', post(url, { 'X-Hub-Signature': secret })],
        ['a wrong ?secret=', post(`${url}?secret=${encodeURIComponent(`${secret}x`)}`, {})],
        ['an empty ?secret=', post(`${url}?secret=`, {})],
        ['a prefix of the secret', post(`${url}?secret=${encodeURIComponent(secret.slice(0, -1))}`, {})],
        ['the secret in another header', post(url, { 'X-Webhook-Secret': secret, Authorization: `Bearer ${secret}` })],
        ['a wrong signature next to the right ?secret=', post(`${url}?secret=${encodeURIComponent(secret)}`, { 'X-Hub-Signature': `sha256=${'0'.repeat(64)}` })],
        ['the admin token instead', post(url, { Authorization: `Bearer ${ADMIN_TOKEN}` })],
      ];
      const statuses = await Promise.all(forgeries.map(async ([what, req]) => [what, (await req).status] as const));
      expect(statuses.filter(([, s]) => s !== 401)).toEqual([]);
      await waitOutboxIdle(app, projectId);
      expect(await storedDigest(app, projectId, ['webhook.rejected'])).toEqual(before);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('open');
      expect(await activity(app, p.key, { kind: 'webhook.rejected', limit: 100 })).toHaveLength(forgeries.length);
    });

    it('applies a replayed delivery once, never lets an old one undo a newer change, and refuses replays after a secret rotation', async () => {
      const p = await newProject();
      const secret = (await configure(p.key, cloud, { statusMapping: [{ jiraStatus: 'To Do', state: 'open', primary: true }, { jiraStatus: 'Done', state: 'resolved', primary: true }] })).webhook.secret as string;
      const keys = await linkedGroups(app, p.key, cloud, ['fp-0']);
      const projectId = await projectIdOf(app, p.key);
      cloud.pendingWebhooks.splice(0);
      cloud.transition(keys.get('fp-0')!, 'Done');
      const [done] = cloud.pendingWebhooks.splice(0);
      const send = (event: typeof done, opts: { identifier?: boolean; secret?: string } = {}) =>
        postWebhook(app, p.key, event.body, { secret: opts.secret ?? secret, headers: opts.identifier === false ? {} : { 'X-Atlassian-Webhook-Identifier': event.id } });

      /** What a webhook can change: the groups, the issue links and snapshots, the activity log. */
      const effect = async () => {
        const d = await storedDigest(app, projectId);
        return [d.error_groups, d.jira_issues, d.activity];
      };
      expect((await send(done)).body).toEqual({ status: 'accepted' });
      await waitOutboxIdle(app, projectId);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('resolved');
      const applied = await storedDigest(app, projectId);

      // The same delivery again (as Jira retries, or an attacker replays): acknowledged, not even queued.
      expect((await send(done)).body).toEqual({ status: 'duplicate' });
      await waitOutboxIdle(app, projectId);
      expect(await storedDigest(app, projectId)).toEqual(applied);
      // The identifier is not signed: a replay without it (or with another one) is known by its body, and changes nothing.
      await send(done, { identifier: false }).expect(202);
      await send({ ...done, id: 'another-identifier' }).expect(202);
      await waitOutboxIdle(app, projectId);
      expect(await effect()).toEqual([applied.error_groups, applied.jira_issues, applied.activity]);

      // A change made here after the event: replaying the event does not undo it.
      await app.admin('patch', `/api/v1/projects/${p.key}/groups/fp-0`).send({ assignee: 'carol@acme.com' }).expect(200);
      await waitOutboxIdle(app, projectId);
      const local = await effect();
      await send({ ...done, id: 'replay-after-a-local-change' }).expect(202);
      await waitOutboxIdle(app, projectId);
      expect(await effect()).toEqual(local);
      expect((await getGroup(app, p.key, 'fp-0')).assignee).toBe('carol@acme.com');

      // A newer change, then the old event replayed under a fresh identifier: the old one is stale.
      cloud.transition(keys.get('fp-0')!, 'To Do');
      const [reopened] = cloud.pendingWebhooks.splice(0);
      await send(reopened).expect(202);
      await waitOutboxIdle(app, projectId);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('open');
      const replayed = { ...done, id: 'replayed-with-a-new-identifier' };
      await send(replayed).expect(202);
      await waitOutboxIdle(app, projectId);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('open');
      expect(await activity(app, p.key, { fingerprint: 'fp-0', kind: 'state.changed', source: 'jira' })).toHaveLength(2);

      // After a rotation the old secret's signatures and ?secret= are worthless.
      const rotated = (await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/webhook-secret`).expect(200)).body.webhook.secret as string;
      webhookSecrets.push(rotated);
      expect(rotated).not.toBe(secret);
      const before = await storedDigest(app, projectId, ['webhook.rejected']);
      cloud.transition(keys.get('fp-0')!, 'Done');
      const [later] = cloud.pendingWebhooks.splice(0);
      await send(later).expect(401);
      await postWebhook(app, p.key, later.body, { secret, style: 'query' }).expect(401);
      await waitOutboxIdle(app, projectId);
      expect(await storedDigest(app, projectId, ['webhook.rejected'])).toEqual(before);
      await send(later, { secret: rotated }).expect(202);
      await waitOutboxIdle(app, projectId);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('resolved');
    });
  });
}
