import { GroupSnapshot, mergeReport, reportTimes } from '@app/modules/ingest-body/merge-report';
import { parseIngestBody } from '@app/modules/ingest-body/parse-ingest-body';
import { IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';
import { mulberry32 } from '../support/random';
import { createProject, startTestApp, TestApp } from '../support/test-app';

/**
 * Overlapping batches from several clients at once, then every stored group against the fold of all its
 * reports (mergeReport() applied report by report), with its `group.created` activity entry and change and
 * its counts by hour. The reports are made so that the fold does not depend on the order the batches commit
 * in: a fingerprint always reports the same title, callstack, classifiers and link (or none), and its
 * histograms stay below the value limits (small ones, and ones past the size where the statement counts keys).
 */
describe('concurrent batches merge like mergeReport()', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  const HOUR = 3_600_000;
  const thisHour = Math.floor(Date.now() / HOUR) * HOUR;

  function report(rand: () => number, n: number): IngestGroupDto {
    const fp = `c-${n}`;
    const r: Record<string, unknown> = { fingerprint: fp };
    const chance = (p: number) => rand() < p;
    if (chance(0.5)) r.title = n % 3 === 0 ? fp : `Title of ${fp}`;
    if (chance(0.5)) r.callstack = n % 2 === 0 ? [`frame-${n}`, 'main'] : [];
    if (chance(0.5)) r.classifiers = n % 4 === 0 ? ['SIGSEGV'] : [];
    if (chance(0.3)) r.link = `https://errors.example.com/${n}`;
    if (chance(0.8)) r.count = Math.floor(rand() * 4);
    // Within the last day, so every report lands in a kept hour; never without a time (arrival would show).
    const last = thisHour - Math.floor(rand() * 20) * HOUR - Math.floor(rand() * HOUR);
    const withLast = chance(0.8);
    if (withLast) r.lastSeen = new Date(last).toISOString();
    if (!withLast || chance(0.5)) r.firstSeen = new Date(last - (withLast ? Math.floor(rand() * 3) * HOUR : 0)).toISOString();
    const attributes: Record<string, unknown> = {};
    if (chance(0.6)) attributes.version = chance(0.5) ? `1.${Math.floor(rand() * 3)}` : [[`2.${Math.floor(rand() * 3)}`, 1 + Math.floor(rand() * 2)]];
    if (chance(0.3)) attributes.os = { Linux: Math.floor(rand() * 3), Windows: 1 };
    if (n % 5 === 0 && chance(0.7)) {
      // Larger histograms (up to 90 values of one attribute over all reports): past the small-histogram shortcut.
      const users: Record<string, number> = {};
      for (let i = 0; i < 25; i++) users[`user-${Math.floor(rand() * 90)}`] = 1 + Math.floor(rand() * 2);
      attributes.user = users;
    }
    if (Object.keys(attributes).length > 0) r.attributes = attributes;
    return r as unknown as IngestGroupDto;
  }

  /** The fold of a fingerprint's reports, and its count by hour (the hour of each report's lastSeen). */
  function fold(reports: IngestGroupDto[], now: Date) {
    const model = new Map<string, GroupSnapshot>();
    const hours = new Map<string, Map<number, number>>();
    for (const raw of reports) {
      const parsed = parseIngestBody(JSON.parse(JSON.stringify(raw)));
      if (parsed.batch || !parsed.item.ok) throw new Error(`generated a bad report: ${JSON.stringify(parsed)}`);
      const r = parsed.item.report;
      const t = reportTimes(r, now);
      const g = model.get(r.fingerprint) ?? {
        title: r.title || r.fingerprint, callstack: [], classifiers: [], count: 0, firstSeen: t.firstSeen, lastSeen: t.lastSeen,
        link: null, attributes: {}, state: 'open', resolvedUntil: null, resolvedAt: null, regressions: 0,
      };
      model.set(r.fingerprint, mergeReport(g, r, now));
      const count = r.count ?? 1;
      if (count > 0) {
        const h = hours.get(r.fingerprint) ?? new Map<number, number>();
        const hour = Math.floor(t.lastSeen.getTime() / HOUR) * HOUR;
        h.set(hour, (h.get(hour) ?? 0) + count);
        hours.set(r.fingerprint, h);
      }
    }
    return { model, hours };
  }

  for (const seed of [11, 12]) {
    it(`seed ${seed}: 6 clients, 4 overlapping batches each, on 150 fingerprints`, async () => {
      const rand = mulberry32(seed);
      const { key } = await createProject(app);
      const clients = Array.from({ length: 6 }, () =>
        Array.from({ length: 4 }, () => Array.from({ length: 40 + Math.floor(rand() * 120) }, () => report(rand, Math.floor(rand() * 150)))),
      );
      const now = new Date();
      const answers = await Promise.all(
        clients.map(async (batches) => {
          const got = [];
          for (const groups of batches) got.push(await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups }));
          return got;
        }),
      );
      const all = clients.flat(2);
      const { model, hours } = fold(all, now);
      for (const res of answers.flat()) expect(res.status).toBe(200);
      const statuses = answers.flat().flatMap((res) => res.body.results as Array<{ status: string }>);
      expect(statuses.filter((s) => s.status === 'created')).toHaveLength(model.size);
      expect(statuses.filter((s) => s.status !== 'created' && s.status !== 'updated')).toEqual([]);

      const list = await app.dataSource.query(
        `SELECT g.fingerprint, g.title, g.callstack, g.classifiers, g.count::int AS count, g.first_seen AS "firstSeen", g.last_seen AS "lastSeen",
                g.link, g.attributes,
                (SELECT json_object_agg(extract(epoch FROM h.hour)::bigint * 1000, h.count) FROM group_hourly_counts h WHERE h.group_id = g.id) AS hours,
                (SELECT count(*)::int FROM activity a WHERE a.project_id = g.project_id AND a.fingerprint = g.fingerprint AND a.kind = 'group.created') AS logged,
                (SELECT count(*)::int FROM group_changes c WHERE c.group_id = g.id AND c.type = 'group.created') AS changes
           FROM error_groups g JOIN projects p ON p.id = g.project_id WHERE p.key = $1`,
        [key],
      );
      expect(list).toHaveLength(model.size);
      for (const row of list) {
        const g = model.get(row.fingerprint)!;
        const expectedHours = Object.fromEntries([...(hours.get(row.fingerprint) ?? new Map())].map(([h, c]) => [String(h), c]));
        expect({ fp: row.fingerprint, group: { ...row, firstSeen: new Date(row.firstSeen), lastSeen: new Date(row.lastSeen), hours: row.hours ?? {} } }).toEqual({
          fp: row.fingerprint,
          group: {
            fingerprint: row.fingerprint, title: g.title, callstack: g.callstack, classifiers: g.classifiers, count: g.count,
            firstSeen: g.firstSeen, lastSeen: g.lastSeen, link: g.link, attributes: g.attributes, hours: expectedHours, logged: 1, changes: 1,
          },
        });
      }
    });
  }

  it('deletes the groups, hour rows, activity entries and changes of a deleted project with it (a linked issue too)', async () => {
    const { key } = await createProject(app);
    const keep = await createProject(app);
    const groups = Array.from({ length: 20 }, (_, i) => ({ fingerprint: `d-${i}`, count: 2 }));
    for (const k of [key, keep.key]) await app.admin('post', `/api/v1/projects/${k}/groups`).send({ groups }).expect(200);
    const [{ id }] = await app.dataSource.query(`SELECT id::text FROM projects WHERE key = $1`, [key]);
    // A linked issue: the project's issues are deleted with it too, after its groups.
    await app.dataSource.query(
      `WITH i AS (INSERT INTO jira_issues (project_id, issue_id, issue_key, url, status, status_category)
                  VALUES ($1, '10077', 'DEL-77', 'https://jira.example.com/browse/DEL-77', 'To Do', 'new') RETURNING id)
       UPDATE error_groups g SET ticket_ref = i.id FROM i WHERE g.project_id = $1 AND g.fingerprint = 'd-3'`,
      [id],
    );
    const left = async (projectId: string) =>
      (
        await app.dataSource.query(
          `SELECT (SELECT count(*)::int FROM error_groups WHERE project_id = $1) AS groups,
                  (SELECT count(*)::int FROM group_hourly_counts h JOIN error_groups g ON g.id = h.group_id WHERE g.project_id = $1) AS joined,
                  (SELECT count(*)::int FROM group_hourly_counts h WHERE NOT EXISTS (SELECT 1 FROM error_groups g WHERE g.id = h.group_id)) AS orphans,
                  (SELECT count(*)::int FROM activity WHERE project_id = $1) AS activity,
                  (SELECT count(*)::int FROM group_changes WHERE project_id = $1) AS changes`,
          [projectId],
        )
      )[0];
    // 20 changes of created groups and one of the link.
    expect(await left(id)).toEqual({ groups: 20, joined: 20, orphans: 0, activity: 20, changes: 21 });
    await app.admin('delete', `/api/v1/projects/${key}`).expect(204);
    expect(await left(id)).toEqual({ groups: 0, joined: 0, orphans: 0, activity: 0, changes: 0 });
    expect(await app.dataSource.query(`SELECT id FROM jira_issues WHERE project_id = $1`, [id])).toEqual([]);
    // Ingesting into it now (by key) finds no project.
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups }).expect(404);
    const [{ id: keptId }] = await app.dataSource.query(`SELECT id::text FROM projects WHERE key = $1`, [keep.key]);
    expect(await left(keptId)).toEqual({ groups: 20, joined: 20, orphans: 0, activity: 20, changes: 20 });
  });
});
