// GroupRepository.saveAppliedChanges against a real database: the statement writes its groups' change-feed rows
// itself and turns the row trigger off for its own rows only, so every change is recorded once, in the trigger's
// shape, and a later statement of the same transaction is still recorded by the trigger.
import { GroupRepository } from '@app/database/repositories/group.repository';
import { LinkedGroup } from '@app/database/repositories/group.rows';
import { createProject, projectIdOf, startTestApp, TestApp } from '../../support/test-app';
import { planNodes } from '../../support/query-plans';

describe('GroupRepository.saveAppliedChanges', () => {
  let app: TestApp;
  let groups: GroupRepository;
  let projectId: string;
  beforeAll(async () => {
    app = await startTestApp();
    groups = app.service.app.get(GroupRepository);
    projectId = await projectIdOf(app, (await createProject(app)).key);
  });
  afterAll(() => app.stop());

  const sql = (text: string, params: unknown[] = []) => app.dataSource.query(text, params);
  const group = async (fingerprint: string) =>
    (await sql(`INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen, count) VALUES ($1, $2, 't', now(), now(), 1) RETURNING id::text AS id`, [
      projectId, fingerprint,
    ]))[0].id as string;
  const linked = (id: string, fingerprint: string, over: Partial<LinkedGroup>): LinkedGroup => ({
    id, fingerprint, state: 'open', assignee: null, resolvedUntil: null, resolvedAt: null, localChangedAt: null, ticketRef: '0', ...over,
  });
  const changesOf = (ids: string[]) =>
    sql(`SELECT group_id::text AS "groupId", fingerprint, type, changes, tx::text AS tx FROM group_changes WHERE group_id = ANY($1::bigint[]) ORDER BY id`, [ids]);

  it('records each changed group once, as the trigger does, and the trigger still records a later statement of the transaction', async () => {
    const [a, b, c] = [await group('save-a'), await group('save-b'), await group('save-c')];
    const resolvedUntil = { attribute: 'version', version: '2.0' };
    await app.dataSource.transaction(async (m) => {
      await groups.saveAppliedChanges(m, [], [
        linked(a, 'save-a', { state: 'resolved', assignee: 'dev@example.com', resolvedUntil, resolvedAt: new Date() }),
        linked(b, 'save-b', { assignee: 'ops@example.com' }),
      ], [{ projectId, fingerprint: 'save-a', kind: 'state.changed', source: 'jira', detail: 'State changed from open to resolved' }]);
      // Another statement in the same transaction: the trigger's.
      await m.query(`UPDATE error_groups SET state = 'muted' WHERE id = $1`, [b]);
    });
    // Written the trigger's way, for comparison: the changes of group a, made to group c.
    await sql(`UPDATE error_groups SET state = 'resolved', assignee = 'dev@example.com', resolved_until = $2 WHERE id = $1`, [c, resolvedUntil]);

    const rows = await changesOf([a, b, c]);
    expect(rows.map(({ tx: _tx, ...r }: { tx: string }) => r)).toEqual([
      { groupId: a, fingerprint: 'save-a', type: 'group.state_changed', changes: { state: { from: 'open', to: 'resolved' }, resolvedUntil } },
      { groupId: a, fingerprint: 'save-a', type: 'group.assigned', changes: { assignee: { from: null, to: 'dev@example.com' } } },
      { groupId: b, fingerprint: 'save-b', type: 'group.assigned', changes: { assignee: { from: null, to: 'ops@example.com' } } },
      { groupId: b, fingerprint: 'save-b', type: 'group.state_changed', changes: { state: { from: 'open', to: 'muted' }, resolvedUntil: null } },
      { groupId: c, fingerprint: 'save-c', type: 'group.state_changed', changes: { state: { from: 'open', to: 'resolved' }, resolvedUntil } },
      { groupId: c, fingerprint: 'save-c', type: 'group.assigned', changes: { assignee: { from: null, to: 'dev@example.com' } } },
    ]);
    // One transaction wrote the first four, numbered in the project's commit order like any other.
    expect(new Set(rows.slice(0, 4).map((r: { tx: string }) => r.tx)).size).toBe(1);
    const commits = await sql(`SELECT seq FROM change_commits WHERE project_id = $1 AND tx = ANY($2::xid8[]) ORDER BY seq`, [projectId, [rows[0].tx, rows[5].tx]]);
    expect(commits).toHaveLength(2);
    expect(commits.every((r: { seq: string | null }) => r.seq !== null)).toBe(true);
  });

  it('leaves no mark behind: a later statement of the transaction is recorded even when it starts in the same millisecond', async () => {
    // PGlite's clock counts milliseconds, so the statement right after the save can share its start time.
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await group(`save-ms-${i}`);
      ids.push(id);
      const mark = await app.dataSource.transaction(async (m) => {
        await groups.saveAppliedChanges(m, [], [linked(id, `save-ms-${i}`, { assignee: 'dev@example.com' })], []);
        await m.query(`UPDATE error_groups SET state = 'muted' WHERE id = $1`, [id]);
        const [{ mark }] = await m.query(`SELECT current_setting('crashbridge.changes_written_at', true) AS mark`);
        return mark as string | null;
      });
      expect(mark).toBe('');
    }
    const rows = await changesOf(ids);
    for (const id of ids) {
      expect(rows.filter((r: { groupId: string }) => r.groupId === id).map((r: { type: string }) => r.type)).toEqual(['group.assigned', 'group.state_changed']);
    }
  });

  it('writes no change-feed row for a group whose state and assignee stay, and none twice for a save run again', async () => {
    const d = await group('save-d');
    const save = () =>
      app.dataSource.transaction((m) => groups.saveAppliedChanges(m, [], [linked(d, 'save-d', { state: 'in-progress' })], []));
    await save();
    await save();
    await app.dataSource.transaction((m) => groups.saveAppliedChanges(m, [], [linked(d, 'save-d', { state: 'in-progress', resolvedUntil: { attribute: 'version', version: '1.0' } })], []));
    expect((await changesOf([d])).map((r: { type: string; changes: unknown }) => [r.type, r.changes])).toEqual([
      ['group.state_changed', { state: { from: 'open', to: 'in-progress' }, resolvedUntil: null }],
    ]);
  });

  it('finds its issues and groups by primary key, not by reading the whole tables', async () => {
    // The planner counts a recordset as 100 rows: at 20,000 issues it chose to scan them all to hash-join it.
    await sql(`INSERT INTO jira_issues (project_id, issue_id, issue_key, url) SELECT $1, 'big-' || n, 'BIG-' || n, 'https://jira.example/BIG-' || n FROM generate_series(1, 20000) n`, [projectId]);
    await sql(`INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen, count) SELECT $1, 'big-' || n, 't', now(), now(), 1 FROM generate_series(1, 20000) n`, [projectId]);
    await sql('ANALYZE jira_issues');
    await sql('ANALYZE error_groups');
    const [issue] = await sql(`SELECT id::text AS id FROM jira_issues WHERE project_id = $1 AND issue_id = 'big-7'`, [projectId]);
    const g = await group('save-big');
    const snapshot = {
      id: issue.id as string, issueId: 'big-7', issueKey: 'BIG-7', url: 'https://jira.example/BIG-7', status: 'Done', statusCategory: 'done',
      assignee: null, fixVersions: [], lastEventAt: new Date(), linkedAt: null,
    };
    const scans = await app.dataSource.transaction(async (m) => {
      await groups.saveAppliedChanges(m, [snapshot], [linked(g, 'save-big', { state: 'resolved' })], []);
      const [row] = await m.query(`SELECT statement FROM pg_prepared_statements WHERE name = 'crashbridge_save_applied_changes'`);
      expect(row).toBeDefined();
      const literal = (v: unknown) => `'${JSON.stringify(v).replace(/'/g, "''")}'::jsonb`;
      const params = [[{ id: issue.id, issue_key: 'BIG-7', url: snapshot.url, status: 'To Do' }], [{ id: g, state: 'open' }], []];
      const [plan] = await m.query(`EXPLAIN (FORMAT JSON) EXECUTE crashbridge_save_applied_changes(${params.map(literal).join(', ')})`);
      return planNodes(plan['QUERY PLAN']).filter((n) => n.type === 'Seq Scan').map((n) => n.relation);
    });
    expect(scans).toEqual([]);
    const [saved] = await sql(`SELECT status FROM jira_issues WHERE id = $1`, [issue.id]);
    expect(saved.status).toBe('Done');
  });
});
