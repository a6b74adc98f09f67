// A page of a project's change feed (feedPageSql, shared by the feed's API, the notification job and its backlog)
// against a real database: every position of a project's feed read on in pages of any size gives each change once,
// in commit order, whatever other projects hold; a type filter keeps only its types; and a page reads its rows
// through the per-commit index, not a scan of every project's changes. Repositories alone, without the service: no
// notification job acts on the receiver row the backlog test writes.
import { feedPageSql, FeedPosition, GroupChangeRepository } from '@app/database/repositories/group-change.repository';
import { NotificationRepository } from '@app/database/repositories/notification.repository';
import { openRepositoryDatabase, RepositoryDatabase } from '../../support/repository-database';
import { planNodes } from '../../support/query-plans';

interface Change {
  seq: string;
  id: string;
  type: string;
}

describe('a page of the change feed', () => {
  let db: RepositoryDatabase;
  let feed: GroupChangeRepository;
  let notifications: NotificationRepository;
  let projectId: string;
  let otherId: string;
  /** The project's whole feed in order, read without pages. */
  let all: Change[];

  const sql = (text: string, params: unknown[] = []) => db.dataSource.query(text, params);
  const groupsOf = async (project: string, prefix: string, n: number) =>
    (await sql(
      `INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen, count)
       SELECT $1, $2 || k, 't', now(), now(), 1 FROM generate_series(1, $3::int) k RETURNING id::text AS id`,
      [project, prefix, n],
    )).map((r: { id: string }) => r.id) as string[];
  /** One transaction changing the state of `ids` (the trigger records group.state_changed), and the assignee of `assign`. */
  const commit = (ids: string[], state: string, assign: string[] = []) =>
    db.dataSource.transaction(async (m) => {
      await m.query(`UPDATE error_groups SET state = $2 WHERE id = ANY($1::bigint[])`, [ids, state]);
      if (assign.length > 0) await m.query(`UPDATE error_groups SET assignee = $2 WHERE id = ANY($1::bigint[])`, [assign, `dev-${state}@example.com`]);
    });

  beforeAll(async () => {
    db = await openRepositoryDatabase();
    feed = new GroupChangeRepository(db.dataSource);
    notifications = new NotificationRepository(db.dataSource);
    [{ id: projectId }, { id: otherId }] = await sql(
      `INSERT INTO projects (key, name, ingest_token_hash) VALUES ('feed-page', 'P', 'hp'), ('feed-other', 'O', 'ho') RETURNING id::text AS id`,
    );

    const ids = await groupsOf(projectId, 'page-', 9);
    // Commits of 3, 1, 5 (with 2 assignments), 9 (with 4) and 2 changes, another project's in between.
    await commit(ids.slice(0, 3), 'resolved');
    await commit([ids[3]], 'muted');
    await commit(ids.slice(4, 9), 'resolved', ids.slice(4, 6));
    const others = await groupsOf(otherId, 'other-', 3000);
    await commit(others, 'resolved');
    await commit(ids, 'open', ids.slice(0, 4));
    await commit(ids.slice(7, 9), 'muted');
    await sql('ANALYZE group_changes');
    await sql('ANALYZE change_commits');

    all = await sql(
      `SELECT cc.seq::text AS seq, c.id::text AS id, c.type FROM change_commits cc JOIN group_changes c ON c.tx = cc.tx AND c.project_id = cc.project_id
        WHERE cc.project_id = $1 ORDER BY cc.seq, c.id`,
      [projectId],
    );
  });
  afterAll(() => db?.close());

  const start: FeedPosition = { seq: '0', id: '0' };
  const key = (c: Pick<Change, 'seq' | 'id'>) => `${c.seq}/${c.id}`;

  it('holds the seeded changes: 26 of them in five commits', () => {
    expect(all).toHaveLength(3 + 1 + 5 + 2 + 9 + 4 + 2);
    expect(new Set(all.map((c) => c.seq)).size).toBe(5);
  });

  it.each([1, 2, 3, 7, 500])('reads the whole feed from every position in pages of %i, each change once and in order', async (limit) => {
    for (let from = -1; from < all.length; from++) {
      const after = from < 0 ? start : { seq: all[from].seq, id: all[from].id };
      const read: string[] = [];
      for (let position = after; ; ) {
        const page = await feed.listAfter(projectId, position, limit);
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(limit);
        read.push(...page.map(key));
        position = page[page.length - 1];
      }
      expect(read).toEqual(all.slice(from + 1).map(key));
    }
  });

  it('keeps only the types asked for, in order, for the notification job', async () => {
    const assigned = all.filter((c) => c.type === 'group.assigned').map(key);
    expect(assigned).toHaveLength(6);
    const read: string[] = [];
    for (let position = start; ; ) {
      const page = await notifications.pending(projectId, position, ['group.assigned'], 4);
      if (page.length === 0) break;
      read.push(...page.map(key));
      position = page[page.length - 1];
    }
    expect(read).toEqual(assigned);
  });

  it('counts a receiver’s backlog past its progress, of its types only', async () => {
    const [progress] = all.filter((c) => c.type === 'group.assigned');
    await sql(
      `INSERT INTO notification_settings (project_id, url, secret_enc, events, delivered_seq, delivered_id) VALUES ($1, 'http://127.0.0.1:9/hook', 'x', $2, $3, $4)`,
      [projectId, ['group.assigned'], progress.seq, progress.id],
    );
    expect(await notifications.backlog(projectId)).toEqual({ pending: 5, failing: 0, givenUp: 0 });
  });

  it('reads a page through the index of each commit’s changes, never every project’s changes', async () => {
    const page = feedPageSql({ projectId: '$1', seq: '$2::bigint', id: '$3::bigint', limit: '$4' });
    const [{ 'QUERY PLAN': plan }] = await sql(`EXPLAIN (FORMAT JSON) SELECT * FROM ${page} c`, [projectId, '0', '0', 500]);
    const nodes = planNodes(plan);
    // On a table this small the planner may take the index as a bitmap; either way, by commit (tx).
    expect(nodes.filter((n) => n.relation === 'group_changes' && n.type === 'Seq Scan')).toEqual([]);
    expect(nodes.filter((n) => n.index === 'group_changes_tx')).toHaveLength(1);
  });
});
