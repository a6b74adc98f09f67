// The triage list (sort, filters, keyset paging, the 400s) and bulk actions on selected groups,
// including a bulk state change that reaches Jira through the outbox and bulk ticket creation.
import { JiraSimulator } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { connectSync, linkedGroups, waitOutboxIdle } from '../support/sync';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';

type Item = { fingerprint: string; count: number; lastSeen: string; state: string; assignee: string | null; ticket: { key: string; status: string | null } | null };

/** 130 groups: counts with ties (i % 9), lastSeen a few microseconds apart, states, assignees and linked issues cycling. */
const SEED = `
WITH issues AS (
  INSERT INTO jira_issues (project_id, issue_id, issue_key, url, status)
  SELECT $1, 'seed-' || i, 'SEED-' || i, 'https://jira.invalid/browse/SEED-' || i, (ARRAY['To Do', 'In Progress', 'Done'])[1 + i % 3]
    FROM generate_series(0, 2) i
  RETURNING id, status
)
INSERT INTO error_groups (project_id, fingerprint, title, count, first_seen, last_seen, state, assignee, ticket_ref)
SELECT $1, 'fp-' || lpad(i::text, 3, '0'), 'Crash ' || i, i % 9, now() - interval '1 day', now() - i * interval '3 microseconds',
       (ARRAY['open', 'in-progress', 'resolved', 'muted'])[1 + i % 4],
       CASE WHEN i % 3 = 0 THEN NULL ELSE 'dev' || (i % 2) || '@example.com' END,
       CASE WHEN i % 5 = 0 THEN (SELECT id FROM issues ORDER BY id OFFSET (i / 5) % 3 LIMIT 1) END
  FROM generate_series(1, 130) i`;

describe('group triage: list and bulk actions', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let key: string;
  let all: Item[];

  beforeAll(async () => {
    [app, sim] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud' })]);
    key = (await createProject(app)).key;
    await app.dataSource.query(SEED, [await projectIdOf(app, key)]);
    all = await walk('');
  });
  afterAll(async () => {
    await sim.stop();
    await app.stop();
  });

  const list = (query: string) => app.admin('get', `/api/v1/projects/${key}/groups?${query}`);

  /** Every page of a listing, 40 at a time, following nextCursor. */
  async function walk(query: string, projectKey = key): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Item[]; nextCursor: string | null } } = await app.admin('get', `/api/v1/projects/${projectKey}/groups?limit=40&${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }
  const fps = (items: Item[]) => items.map((i) => i.fingerprint);
  const byCount = (a: Item, b: Item) => a.count - b.count || a.fingerprint.localeCompare(b.fingerprint);

  it('pages through every group once in each order, ties broken by id, lastSeen to the microsecond', async () => {
    expect(all).toHaveLength(130);
    // Newest first: fp-001 was seen last (3 µs apart, the same millisecond for most pairs).
    expect(fps(all)).toEqual(Array.from({ length: 130 }, (_, i) => `fp-${String(i + 1).padStart(3, '0')}`));
    expect(fps(await walk('sort=lastSeen'))).toEqual(fps(all).reverse());
    // Ids grow with the fingerprint's number: the same count goes by id, in the sort's direction.
    const ascending = [...all].sort(byCount);
    expect(fps(await walk('sort=count'))).toEqual(fps(ascending));
    expect(fps(await walk('sort=-count'))).toEqual(fps(ascending).reverse());
  });

  it('filters by state, assignee, unassigned, ticket status and no ticket, alone and together', async () => {
    const expectFilter = async (query: string, keep: (i: Item) => boolean) => {
      const got = await walk(`sort=-count&${query}`);
      expect(fps(got)).toEqual(fps([...all].sort(byCount).reverse().filter(keep)));
      expect(got.length).toBeGreaterThan(0);
    };
    await expectFilter('state=muted', (i) => i.state === 'muted');
    await expectFilter('assignee=dev1%40example.com', (i) => i.assignee === 'dev1@example.com');
    await expectFilter('assignee=unassigned', (i) => i.assignee === null);
    await expectFilter('ticketStatus=none', (i) => i.ticket === null);
    await expectFilter('ticketStatus=in%20progress', (i) => i.ticket?.status === 'In Progress');
    await expectFilter('ticketStatus=done&assignee=dev1%40example.com', (i) => i.ticket?.status === 'Done' && i.assignee === 'dev1@example.com');
    await expectFilter('ticketStatus=Done&state=open', (i) => i.ticket?.status === 'Done' && i.state === 'open');
    await expectFilter('state=in-progress&assignee=unassigned&ticketStatus=none', (i) => i.state === 'in-progress' && i.assignee === null && i.ticket === null);
    expect((await list('assignee=nobody%40example.com').expect(200)).body).toEqual({ items: [], nextCursor: null });
  });

  it('answers 400 naming the field for an unknown sort or filter, and for a cursor of another sort', async () => {
    const cases: Array<[string, string]> = [
      ['sort=title', 'sort'],
      ['sort=-lastseen', 'sort'],
      ['state=exploded', 'state'],
      ['assignee=', 'assignee'],
      [`ticketStatus=${'x'.repeat(101)}`, 'ticketStatus'],
      ['limit=0', 'limit'],
      ['cursor=garbage', 'cursor'],
      ['unknown=1', 'unknown'],
    ];
    for (const [query, field] of cases) {
      const res = await list(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.message.join(' ')).toContain(field);
    }
    const countCursor = (await list('sort=count&limit=5').expect(200)).body.nextCursor as string;
    const wrong = await list(`sort=-count&cursor=${countCursor}`).expect(400);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CURSOR' });
    expect(wrong.body.message.join(' ')).toMatch(/cursor belongs to sort=count, not sort=-count/);
    expect((await list('cursor=' + countCursor).expect(400)).body.code).toBe('INVALID_CURSOR');
    // The right sort continues where the page ended.
    const next = (await list(`sort=count&limit=5&cursor=${countCursor}`).expect(200)).body.items as Item[];
    expect(fps(next)).toEqual(fps([...all].sort(byCount).slice(5, 10)));
  });

  it('sets state and assignee on many groups, with a 404 per missing group, not for the call', async () => {
    const bulk = (body: object) => app.admin('post', `/api/v1/projects/${key}/groups/bulk`).send(body);
    const res = await bulk({ fingerprints: ['fp-001', 'fp-nope', 'fp-002'], action: 'setState', state: 'resolved' }).expect(200);
    expect(res.body.results).toEqual([
      { fingerprint: 'fp-001', ok: true },
      { fingerprint: 'fp-nope', ok: false, error: { code: 'GROUP_NOT_FOUND', status: 404, message: "group 'fp-nope' not found" } },
      { fingerprint: 'fp-002', ok: true },
    ]);
    await bulk({ fingerprints: ['fp-001', 'fp-002'], action: 'setAssignee', assignee: 'carol@example.com' }).expect(200);
    await bulk({ fingerprints: ['fp-003'], action: 'setAssignee', assignee: null }).expect(200);
    const carol = await walk('assignee=carol%40example.com');
    expect(carol.map((i) => [i.fingerprint, i.state])).toEqual([['fp-001', 'resolved'], ['fp-002', 'resolved']]);
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/fp-003`).expect(200)).body.assignee).toBeNull();
    const log = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=fp-001`).expect(200);
    expect(log.body.map((a: { kind: string }) => a.kind)).toEqual(expect.arrayContaining(['state.changed', 'assignee.changed']));

    const refused: Array<[object, string]> = [
      [{ fingerprints: ['fp-001'], action: 'explode' }, 'action'],
      [{ fingerprints: [], action: 'setState', state: 'open' }, 'fingerprints'],
      [{ fingerprints: Array.from({ length: 201 }, (_, i) => `x${i}`), action: 'setState', state: 'open' }, 'fingerprints'],
      [{ fingerprints: ['fp-001', 'fp-001'], action: 'setState', state: 'open' }, 'fingerprints'],
      [{ fingerprints: ['fp-001'], action: 'setState' }, 'state'],
      [{ fingerprints: ['fp-001'], action: 'setState', state: 'gone' }, 'state'],
      [{ fingerprints: ['fp-001'], action: 'setAssignee' }, 'assignee'],
      [{ fingerprints: ['fp-001'], action: 'setAssignee', assignee: 'x', state: 'open' }, 'state'],
      [{ fingerprints: ['fp-001'], action: 'createTickets', assignee: 'x' }, 'assignee'],
    ];
    for (const [body, field] of refused) {
      const r = await bulk(body);
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
      expect(r.body.message.join(' ')).toContain(field);
    }
    // Nothing of the refused calls applied.
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/fp-001`).expect(200)).body.state).toBe('resolved');
  });

  it('a bulk state change reaches Jira through the outbox, as a single change does', async () => {
    const p = await connectSync(app, sim);
    const keys = await linkedGroups(app, p.key, sim, ['sync-a', 'sync-b']);
    const res = await app.admin('post', `/api/v1/projects/${p.key}/groups/bulk`).send({ fingerprints: ['sync-a', 'sync-b'], action: 'setState', state: 'resolved' }).expect(200);
    expect(res.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    const statusOf = (issueKey: string) => (sim.getIssue(issueKey)!.fields.status as { name: string }).name;
    await eventually(async () => statusOf(keys.get('sync-a')!) === 'Done' && statusOf(keys.get('sync-b')!) === 'Done');
    await waitOutboxIdle(app, p.projectId);
    // One jira.sync outbox row per group, written with the change.
    const [{ n }]: Array<{ n: number }> = await app.dataSource.query(`SELECT count(DISTINCT payload->>'groupId')::int AS n FROM outbox WHERE project_id = $1 AND kind = 'jira.sync'`, [p.projectId]);
    expect(n).toBe(2);
  });

  it('creates exactly one ticket per group, however often the bulk request is repeated', async () => {
    const { key: k } = await createProject(app);
    await configureJira(app, k, sim, { labels: `bulk-${k}`, createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 } });
    await app.admin('post', `/api/v1/projects/${k}/groups`).send({ groups: ['t-1', 't-2', 't-3'].map((fingerprint) => ({ fingerprint, title: `Crash ${fingerprint}` })) }).expect(200);
    const body = { fingerprints: ['t-1', 't-2', 't-3', 't-missing'], action: 'createTickets' };
    const first = await app.admin('post', `/api/v1/projects/${k}/groups/bulk`).send(body).expect(200);
    expect(first.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, true, false]);
    await app.admin('post', `/api/v1/projects/${k}/groups/bulk`).send(body).expect(200);
    const projectId = await projectIdOf(app, k);
    await waitOutboxIdle(app, projectId);
    await app.admin('post', `/api/v1/projects/${k}/groups/bulk`).send(body).expect(200);
    await waitOutboxIdle(app, projectId);
    const issues = sim.listIssues().filter((i) => ((i.fields.labels as string[] | undefined) ?? []).includes(`bulk-${k}`));
    expect(issues).toHaveLength(3);
    const linked = await walk('ticketStatus=none', k);
    expect(linked).toEqual([]);
  });
});
