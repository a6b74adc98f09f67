// WebhookEventRepository.takePending against a real database: one statement takes a batch of waiting events and
// locks their issues and groups; when another batch of the project holds the turn, it waits, then reads afresh.
import { QueryRunner } from 'typeorm';
import { WebhookEventRepository } from '@app/database/repositories/webhook-event.repository';
import { testMode } from '../../support/test-env';
import { createProject, projectIdOf, startTestApp, TestApp } from '../../support/test-app';

describe('WebhookEventRepository.takePending', () => {
  let app: TestApp;
  let events: WebhookEventRepository;
  let projectId: string;
  beforeAll(async () => {
    app = await startTestApp();
    events = app.service.app.get(WebhookEventRepository);
    projectId = await projectIdOf(app, (await createProject(app)).key);
  });
  afterAll(() => app.stop());

  const sql = (text: string, params: unknown[] = []) => app.dataSource.query(text, params);
  const issue = async (issueId: string) =>
    (await sql(`INSERT INTO jira_issues (project_id, issue_id, issue_key, url, status) VALUES ($1, $2, $3, $4, 'To Do') RETURNING id::text AS id`, [
      projectId, issueId, `CHK-${issueId}`, `https://jira.example.com/browse/CHK-${issueId}`,
    ]))[0].id as string;
  const group = async (fingerprint: string, ticketRef: string | null) =>
    (await sql(`INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen, count, ticket_ref) VALUES ($1, $2, 't', now(), now(), 1, $3) RETURNING id::text AS id`, [
      projectId, fingerprint, ticketRef,
    ]))[0].id as string;
  const event = (issueId: string, n: number) => sql(`INSERT INTO webhook_events (project_id, issue_id, change) VALUES ($1, $2, $3)`, [projectId, issueId, { issueId, n }]);
  const waiting = async () => (await sql(`SELECT count(*)::int AS n FROM webhook_events WHERE project_id = $1`, [projectId]))[0].n as number;

  it('takes the oldest events and locks their issues and the groups linked to them, in one statement', async () => {
    const ref = await issue('100');
    const g1 = await group('take-1', ref);
    await group('take-other', null);
    await issue('101'); // linked to no event: not locked
    for (let n = 1; n <= 3; n++) await event('100', n);
    await event('999', 4); // an issue not linked here

    const taken = await app.dataSource.transaction((m) => events.takePending<{ issueId: string; n: number }, unknown>(m, projectId, 3));
    expect(taken.changes.map((c) => c.n)).toEqual([1, 2, 3]);
    expect(taken.ids).toHaveLength(3);
    expect(taken.locked.issues).toEqual([expect.objectContaining({ id: ref, issueId: '100', issueKey: 'CHK-100', status: 'To Do', lastEventAt: null, linkedAt: expect.any(Date) })]);
    expect(taken.locked.groups).toEqual([expect.objectContaining({ id: g1, fingerprint: 'take-1', ticketRef: ref, state: 'open' })]);

    const rest = await app.dataSource.transaction((m) => events.takePending<{ issueId: string; n: number }, unknown>(m, projectId, 10));
    expect(rest.changes.map((c) => c.n)).toEqual([4]);
    expect(rest.locked).toEqual({ issues: [], groups: [] });
    expect(await waiting()).toBe(0);
  });

  it('commits the batch without waiting for the disk, that transaction only; a batch that never commits leaves its events waiting', async () => {
    await event('300', 1);
    const setting = async (m: { query(sql: string): Promise<Array<{ synchronous_commit: string }>> }) => (await m.query('SHOW synchronous_commit'))[0].synchronous_commit;
    await app.dataSource.transaction(async (m) => {
      expect(await setting(m)).toBe('on');
      await events.takePending(m, projectId, 1);
      expect(await setting(m)).toBe('off');
    });
    expect(await setting(app.dataSource.manager)).toBe('on');

    // What a crash that lost the commit leaves: the transaction never happened, the event waits again.
    await event('300', 2);
    await expect(app.dataSource.transaction(async (m) => {
      await events.takePending(m, projectId, 10);
      throw new Error('lost');
    })).rejects.toThrow('lost');
    expect(await waiting()).toBe(1);
    const again = await app.dataSource.transaction((m) => events.takePending<{ n: number }, unknown>(m, projectId, 10));
    expect(again.changes.map((c) => c.n)).toEqual([2]);
  });

  // Two transactions of one project at once: PostgreSQL mode (embedded mode has one database connection).
  (testMode() === 'postgres' ? it : it.skip)('a batch that finds the turn taken waits for it, then sees what was committed meanwhile', async () => {
    const ref = await issue('200');
    await group('turn-1', ref);
    await event('200', 1);
    const first: QueryRunner = app.dataSource.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      const held = await events.takePending<{ n: number }, unknown>(first.manager, projectId, 10);
      expect(held.changes.map((c) => c.n)).toEqual([1]);

      // The second batch starts while the first holds the turn, with an event about an issue not stored yet
      // (Jira's webhook for an issue can come before the job that created it has stored it).
      await event('201', 2);
      let secondDone = false;
      const second = app.dataSource.transaction(async (m) => {
        const taken = await events.takePending<{ n: number }, unknown>(m, projectId, 10);
        secondDone = true;
        return taken;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(secondDone).toBe(false);

      // Committed while the second batch waits: the issue and its group.
      const created = await issue('201');
      const linked = await group('turn-2', created);
      await first.commitTransaction();

      const taken = await second;
      expect(taken.changes.map((c) => c.n)).toEqual([2]);
      expect(taken.locked.issues.map((i) => i.id)).toEqual([created]);
      expect(taken.locked.groups.map((g) => g.id)).toEqual([linked]);
    } finally {
      if (first.isTransactionActive) await first.rollbackTransaction();
      await first.release();
    }
  });
});
