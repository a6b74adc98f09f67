import { JiraSimulator } from '../jira-sim';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { GroupOccurrenceRepository } from '@app/database/repositories/group-occurrence.repository';
import { ReportSum } from '@app/database/repositories/group.rows';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { configureJira, issuesWithLabel, startSim } from '../support/jira';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';

/** createRules: `when`, `threshold` and `onRegression` (docs/behaviour.md, "Creation rules"). */
describe('creation rules', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startSim({ flavour: 'cloud' });
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  /** A project whose Jira settings hold these creation rules (over onNewGroup, minCount 1, 100 tickets per hour). */
  async function projectWithRules(rules: Record<string, unknown>): Promise<string> {
    const { key } = await createProject(app);
    const saved = await configureJira(app, key, sim, { createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 100, ...rules } });
    expect(saved.createRules).toMatchObject(rules);
    return key;
  }

  const post = (key: string, body: Record<string, unknown>) => app.admin('post', `/api/v1/projects/${key}/groups`).send(body);

  /** The group's ticket_state and its ticket.create jobs: written in the ingest transaction, so settled once the POST answered. */
  async function ticketing(key: string, fingerprint: string): Promise<{ state: string | null; jobs: number }> {
    const [row]: Array<{ state: string | null; jobs: number }> = await app.dataSource.query(
      `SELECT g.ticket_state AS state,
              (SELECT count(*)::int FROM outbox o WHERE o.kind = 'ticket.create' AND o.payload->>'groupId' = g.id::text) AS jobs
         FROM error_groups g JOIN projects p ON p.id = g.project_id
        WHERE p.key = $1 AND g.fingerprint = $2`,
      [key, fingerprint],
    );
    return row;
  }

  /** Occurrences held in the group's buckets. */
  const counted = async (key: string, fingerprint: string): Promise<number> =>
    (
      await app.dataSource.query(
        `SELECT COALESCE(sum(o.count), 0)::int AS n FROM group_occurrences o JOIN error_groups g ON g.id = o.group_id JOIN projects p ON p.id = g.project_id
          WHERE p.key = $1 AND g.fingerprint = $2`,
        [key, fingerprint],
      )
    )[0].n;

  const ticketOf = (key: string, fingerprint: string) =>
    eventually(async () => (await app.admin('get', `/api/v1/projects/${key}/groups/${fingerprint}`).expect(200)).body.ticket, 30_000, 100);

  describe('when', () => {
    it('keeps staging crashes out until production becomes the top environment', async () => {
      const key = await projectWithRules({ when: [{ attribute: 'environment', op: '=', value: 'production' }] });
      await post(key, { fingerprint: 'env-1', title: 'Crash in staging', attributes: { environment: { staging: 3 } }, count: 3 }).expect(201);
      expect(await ticketing(key, 'env-1')).toEqual({ state: null, jobs: 0 });
      // Production, but not yet the top value (3 staging, 2 production).
      await post(key, { fingerprint: 'env-1', attributes: { environment: { production: 2 } }, count: 2 }).expect(200);
      expect(await ticketing(key, 'env-1')).toEqual({ state: null, jobs: 0 });
      // Through a batch (whose upsert returns no attributes: the rules load them): production now leads 5 to 3.
      const res = await post(key, { groups: [{ fingerprint: 'env-1', attributes: { environment: { production: 3 } }, count: 3 }, { fingerprint: 'env-2', attributes: { environment: 'staging' } }] }).expect(200);
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['updated', 'created']);
      expect(await ticketing(key, 'env-1')).toEqual({ state: 'pending', jobs: 1 });
      expect(await ticketing(key, 'env-2')).toEqual({ state: null, jobs: 0 });
      const ticket = await ticketOf(key, 'env-1');
      expect(issuesWithLabel(sim, ticketMarker(key, 'env-1')).map((i) => i.key)).toEqual([ticket.key]);
      // No threshold: nothing is counted.
      expect(await counted(key, 'env-2')).toBe(0);
    });

    it('with "any": true, holds when any environment seen is production, not only the top one', async () => {
      const key = await projectWithRules({ when: [{ attribute: 'environment', op: '=', value: 'production', any: true }, { attribute: 'title', op: 'contains', value: 'parse' }] });
      await post(key, { fingerprint: 'any-1', title: 'SIGSEGV in parse_header', attributes: { environment: { staging: 10, production: 1 } }, count: 11 }).expect(201);
      await post(key, { fingerprint: 'any-2', title: 'SIGSEGV in parse_header', attributes: { environment: { staging: 10 } }, count: 10 }).expect(201);
      await post(key, { fingerprint: 'any-3', title: 'Abort in main', attributes: { environment: { production: 1 } } }).expect(201);
      // any-1's job was queued with its report; two reports later it may have run already (ticket_state is then clear).
      expect((await ticketing(key, 'any-1')).jobs).toBe(1);
      const ticket = await ticketOf(key, 'any-1');
      expect(issuesWithLabel(sim, ticketMarker(key, 'any-1')).map((i) => i.key)).toEqual([ticket.key]);
      expect(await ticketing(key, 'any-2')).toEqual({ state: null, jobs: 0 });
      expect(await ticketing(key, 'any-3')).toEqual({ state: null, jobs: 0 });
    });
  });

  describe('threshold', () => {
    it('opens no ticket below the threshold, and one once it is reached within the window', async () => {
      const key = await projectWithRules({ threshold: { count: 5, withinMinutes: 10 } });
      await post(key, { fingerprint: 'th-1', count: 2 }).expect(201);
      await post(key, { fingerprint: 'th-1' }).expect(200);
      await post(key, { fingerprint: 'th-1' }).expect(200);
      expect(await ticketing(key, 'th-1')).toEqual({ state: null, jobs: 0 });
      expect(await counted(key, 'th-1')).toBe(4);
      await post(key, { fingerprint: 'th-1' }).expect(200);
      expect(await ticketing(key, 'th-1')).toEqual({ state: 'pending', jobs: 1 });
      // Counting stops with the ticket: the group's buckets are gone, and further reports add none.
      expect(await counted(key, 'th-1')).toBe(0);
      await post(key, { fingerprint: 'th-1' }).expect(200);
      expect(await counted(key, 'th-1')).toBe(0);
      await ticketOf(key, 'th-1');
      expect(issuesWithLabel(sim, ticketMarker(key, 'th-1'))).toHaveLength(1);
    });

    it('does not count occurrences older than the window', async () => {
      const key = await projectWithRules({ threshold: { count: 5, withinMinutes: 10 } });
      await post(key, { fingerprint: 'old-1', count: 4 }).expect(201);
      const groupId = String((await app.dataSource.query(`SELECT g.id FROM error_groups g JOIN projects p ON p.id = g.project_id WHERE p.key = $1 AND g.fingerprint = 'old-1'`, [key]))[0].id);
      // Those four happened 11 minutes ago: outside a 10-minute window.
      await app.dataSource.query(`UPDATE group_occurrences SET bucket_start = bucket_start - interval '11 minutes' WHERE group_id = $1`, [groupId]);
      await post(key, { fingerprint: 'old-1', count: 3 }).expect(200);
      expect(await ticketing(key, 'old-1')).toEqual({ state: null, jobs: 0 });
      // 8 minutes ago is inside it (even should the minute turn meanwhile): 4 + 3 + 1 within the window.
      await app.dataSource.query(`UPDATE group_occurrences SET bucket_start = bucket_start + interval '3 minutes' WHERE group_id = $1 AND bucket_start < now() - interval '10 minutes'`, [groupId]);
      await post(key, { fingerprint: 'old-1' }).expect(200);
      expect(await ticketing(key, 'old-1')).toEqual({ state: 'pending', jobs: 1 });
    });

    it('prunes buckets older than the longest window (7 days), a bounded number at a time', async () => {
      const key = await projectWithRules({ threshold: { count: 100, withinMinutes: 10 } });
      await post(key, { fingerprint: 'prune-1' }).expect(201);
      await post(key, { fingerprint: 'prune-2' }).expect(201);
      const ids: Array<{ id: string }> = await app.dataSource.query(
        `SELECT g.id::text AS id FROM error_groups g JOIN projects p ON p.id = g.project_id WHERE p.key = $1 ORDER BY g.fingerprint`,
        [key],
      );
      for (const { id } of ids) {
        await app.dataSource.query(
          `INSERT INTO group_occurrences (group_id, bucket_start, count)
           SELECT $1, date_trunc('minute', now()) - make_interval(days => d), 5 FROM unnest(ARRAY[6, 8, 9]) AS d`,
          [id],
        );
      }
      const sweep = app.service.app.get(GroupOccurrenceRepository);
      // Four expired buckets; a sweep takes at most its limit (the service's own, once a minute, may have run too).
      expect(await sweep.pruneExpired(app.dataSource.manager, 1)).toBeLessThanOrEqual(1);
      await sweep.pruneExpired(app.dataSource.manager, 1_000);
      // This minute's report and the 6-day-old bucket stay.
      expect(await counted(key, 'prune-1')).toBe(1 + 5);
      expect(await counted(key, 'prune-2')).toBe(1 + 5);
      await post(key, { fingerprint: 'prune-1' }).expect(200);
      expect(await counted(key, 'prune-1')).toBe(2 + 5);
    });

    it('keeps minCount as a floor on the total: a threshold reached with fewer occurrences in all waits', async () => {
      const key = await projectWithRules({ minCount: 4, threshold: { count: 2, withinMinutes: 10 } });
      await post(key, { fingerprint: 'floor-1', count: 2 }).expect(201);
      expect(await ticketing(key, 'floor-1')).toEqual({ state: null, jobs: 0 });
      await post(key, { fingerprint: 'floor-1', count: 2 }).expect(200);
      expect(await ticketing(key, 'floor-1')).toEqual({ state: 'pending', jobs: 1 });
    });

    it('opens exactly one ticket when 20 concurrent reports cross the threshold', async () => {
      const key = await projectWithRules({ threshold: { count: 10, withinMinutes: 60 } });
      await post(key, { fingerprint: 'rush-1', title: 'Rush' }).expect(201);
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(key, { fingerprint: 'rush-1' })));
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
      expect(await ticketing(key, 'rush-1')).toMatchObject({ jobs: 1 });
      const ticket = await ticketOf(key, 'rush-1');
      expect(issuesWithLabel(sim, ticketMarker(key, 'rush-1')).map((i) => i.key)).toEqual([ticket.key]);
      expect((await app.admin('get', `/api/v1/projects/${key}/groups/rush-1`).expect(200)).body.count).toBe(21);
    });
  });

  describe('onRegression', () => {
    it('with onNewGroup off, opens tickets only for regressed groups, within `when` and the hourly limit', async () => {
      const key = await projectWithRules({ onNewGroup: false, onRegression: true, maxTicketsPerHour: 1, when: [{ attribute: 'environment', op: '=', value: 'production' }] });
      const fps = { prod: 'reg-prod', staging: 'reg-staging', second: 'reg-prod-2' };
      await post(key, { fingerprint: fps.prod, attributes: { environment: 'production' } }).expect(201);
      await post(key, { fingerprint: fps.staging, attributes: { environment: 'staging' } }).expect(201);
      await post(key, { fingerprint: fps.second, attributes: { environment: 'production' } }).expect(201);
      for (const fp of Object.values(fps)) {
        expect(await ticketing(key, fp)).toEqual({ state: null, jobs: 0 });
        await app.admin('patch', `/api/v1/projects/${key}/groups/${fp}`).send({ state: 'resolved' }).expect(200);
      }
      // A report after the resolution regresses each group.
      await post(key, { fingerprint: fps.staging, attributes: { environment: 'staging' } }).expect(200);
      expect(await ticketing(key, fps.staging)).toEqual({ state: null, jobs: 0 });
      const regressed = await post(key, { fingerprint: fps.prod, attributes: { environment: 'production' } }).expect(200);
      expect(regressed.body).toMatchObject({ state: 'open', regressions: 1 });
      expect(await ticketing(key, fps.prod)).toEqual({ state: 'pending', jobs: 1 });
      // The hourly limit holds for regressions too.
      await post(key, { fingerprint: fps.second, attributes: { environment: 'production' } }).expect(200);
      expect(await ticketing(key, fps.second)).toEqual({ state: 'skipped', jobs: 0 });
      const skipped = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=${fps.second}&kind=ticket.skipped`).expect(200);
      expect(skipped.body).toHaveLength(1);

      const ticket = await ticketOf(key, fps.prod);
      expect(issuesWithLabel(sim, ticketMarker(key, fps.prod)).map((i) => i.key)).toEqual([ticket.key]);
      // A new group still gets none.
      await post(key, { fingerprint: 'reg-new', attributes: { environment: 'production' } }).expect(201);
      expect(await ticketing(key, 'reg-new')).toEqual({ state: null, jobs: 0 });
    });
  });

  describe('the fast statement', () => {
    const sum = (fingerprint: string): ReportSum => ({
      fingerprint, title: null, callstack: null, classifiers: null, link: null, count: 1,
      firstSeen: new Date(), lastSeen: new Date(), attributes: {}, complex: false,
    });

    it('writes reports of a group that has a ticket, and leaves a group the rules may still apply to alone', async () => {
      const key = await projectWithRules({ minCount: 2 });
      await post(key, { fingerprint: 'fast-ticket', count: 2 }).expect(201);
      await post(key, { fingerprint: 'fast-waiting' }).expect(201);
      expect(await ticketing(key, 'fast-ticket')).toEqual({ state: 'pending', jobs: 1 });
      const projectId = await projectIdOf(app, key);
      const groups = app.service.app.get(GroupRepository);
      const withTicket = await groups.upsertReports(app.dataSource.manager, 'single-fast', projectId, [sum('fast-ticket')]);
      expect(withTicket.rows.get('fast-ticket')).toMatchObject({ count: 3, created: false });
      const waiting = await groups.upsertReports(app.dataSource.manager, 'single-fast', projectId, [sum('fast-waiting')]);
      expect(waiting.rows.size).toBe(0);
      const unknown = await groups.upsertReports(app.dataSource.manager, 'single-fast', projectId, [sum('fast-new')]);
      expect(unknown.rows.size).toBe(0);
      const counts: Array<{ fingerprint: string; count: string }> = await app.dataSource.query(
        `SELECT fingerprint, count FROM error_groups WHERE project_id = $1 ORDER BY fingerprint`,
        [projectId],
      );
      expect(counts.map((c) => [c.fingerprint, Number(c.count)])).toEqual([['fast-ticket', 3], ['fast-waiting', 1]]);
      // Through the API the waiting group still reaches the rules.
      await post(key, { fingerprint: 'fast-waiting' }).expect(200);
      expect(await ticketing(key, 'fast-waiting')).toEqual({ state: 'pending', jobs: 1 });
    });
  });
});
