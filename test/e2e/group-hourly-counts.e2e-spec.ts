// Every group's occurrences by hour (group_hourly_counts), written with the group on every ingest path:
// the fast single statement, the coalesced one, batches, the transaction, and groups merged in code.
import { GroupHourlyCountRepository } from '@app/database/repositories/group-hourly-count.repository';
import { MAX_VALUES_PER_ATTRIBUTE } from '@app/database/entities';
import { createProject, projectIdOf, startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

describe('hourly occurrence counts', () => {
  let app: TestApp;
  let key: string;
  let token: string;
  let projectId: string;
  const hourStart = (hoursAgo: number) => new Date((Math.floor(Date.now() / HOUR) - hoursAgo) * HOUR);
  const at = (hoursAgo: number, minute = 20) => new Date(hourStart(hoursAgo).getTime() + minute * 60_000).toISOString();
  const post = (body: unknown) => app.http().post(`/api/v1/projects/${key}/groups`).set('Authorization', `Bearer ${token}`).send(body as object);
  /** The group's hourly counts as {ISO hour: count}, and its total count. */
  const hourly = async (fp: string): Promise<{ hours: Record<string, number>; total: number }> => {
    const rows: Array<{ hour: Date; count: string }> = await app.dataSource.query(
      `SELECT c.hour, c.count FROM group_hourly_counts c JOIN error_groups g ON g.id = c.group_id
        WHERE g.project_id = $1 AND g.fingerprint = $2 ORDER BY c.hour`,
      [projectId, fp],
    );
    const [g] = await app.dataSource.query(`SELECT count FROM error_groups WHERE project_id = $1 AND fingerprint = $2`, [projectId, fp]);
    return { hours: Object.fromEntries(rows.map((r) => [new Date(r.hour).toISOString(), Number(r.count)])), total: Number(g.count) };
  };
  const h = (hoursAgo: number) => hourStart(hoursAgo).toISOString();

  beforeAll(async () => {
    app = await startTestApp();
    ({ key, ingestToken: token } = await createProject(app));
    projectId = await projectIdOf(app, key);
  });
  afterAll(() => app.stop());

  it("counts single reports in the hour of their lastSeen (arrival when they have none, never later), and a re-post adds to that hour's row", async () => {
    await post({ fingerprint: 's-1', count: 3, firstSeen: at(30), lastSeen: at(2) }).expect(201);
    await post({ fingerprint: 's-1', count: 4, lastSeen: at(2, 50) }).expect(200);
    await post({ fingerprint: 's-1' }).expect(200);
    await post({ fingerprint: 's-1', count: 5, lastSeen: new Date(Date.now() + 5 * HOUR).toISOString() }).expect(200);
    await post({ fingerprint: 's-1', count: 0 }).expect(200);
    // Older than the 30 days kept: the group counts them, the chart does not.
    await post({ fingerprint: 's-1', count: 7, lastSeen: at(24 * 31) }).expect(200);
    // Through the transaction (an Idempotency-Key), and its replay adds nothing.
    await post({ fingerprint: 's-1', count: 2, lastSeen: at(5) }).set('Idempotency-Key', 'hourly-1').expect(200);
    await post({ fingerprint: 's-1', count: 2, lastSeen: at(5) }).set('Idempotency-Key', 'hourly-1').expect(200);
    // The admin token takes the other fast statement.
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 's-1', count: 10, lastSeen: at(2) }).expect(200);
    expect(await hourly('s-1')).toEqual({ hours: { [h(5)]: 2, [h(2)]: 17, [h(0)]: 6 }, total: 32 });
  });

  it('counts a batch per group and hour, a fingerprint repeated across hours in each of its hours', async () => {
    const groups = [
      { fingerprint: 'b-1', count: 2, lastSeen: at(1) },
      { fingerprint: 'b-2', count: 5, lastSeen: at(3) },
      { fingerprint: 'b-1', count: 4, lastSeen: at(3) },
      { fingerprint: 'b-1', lastSeen: at(1, 59) },
      { fingerprint: '', count: 9 },
    ];
    await post({ groups }).expect(200);
    await post({ groups: groups.slice(0, 2) }).expect(200);
    expect(await hourly('b-1')).toEqual({ hours: { [h(3)]: 4, [h(1)]: 5 }, total: 9 });
    expect(await hourly('b-2')).toEqual({ hours: { [h(3)]: 10 }, total: 10 });
  });

  it('counts groups merged in code once: a resolved group, and reports past the attribute value cap', async () => {
    await post({ fingerprint: 'r-1', count: 2, lastSeen: at(4) }).expect(201);
    await app.admin('patch', `/api/v1/projects/${key}/groups/r-1`).send({ state: 'resolved' }).expect(200);
    await post({ fingerprint: 'r-1', count: 3, lastSeen: at(1) }).expect(200);
    await post({ groups: [{ fingerprint: 'r-1', count: 1, lastSeen: at(4) }, { fingerprint: 'r-2', lastSeen: at(4) }] }).expect(200);
    expect(await hourly('r-1')).toEqual({ hours: { [h(4)]: 3, [h(1)]: 3 }, total: 6 });

    const many = (from: number) => Object.fromEntries(Array.from({ length: MAX_VALUES_PER_ATTRIBUTE }, (_, i) => [`v${from + i}`, 1]));
    // A new group past the cap (merged in code from its first report), then an existing one near it.
    await post({ groups: [{ fingerprint: 'c-1', count: 4, lastSeen: at(2), attributes: { a: many(0) } }, { fingerprint: 'c-1', lastSeen: at(6), attributes: { a: many(100) } }] }).expect(200);
    await post({ fingerprint: 'c-1', count: 2, lastSeen: at(2), attributes: { a: many(200) } }).expect(200);
    expect(await hourly('c-1')).toEqual({ hours: { [h(6)]: 1, [h(2)]: 6 }, total: 7 });
  });

  it('adds up concurrent reports of one group exactly, single and in overlapping batches, without deadlocks', async () => {
    const fps = ['k-1', 'k-2', 'k-3', 'k-4'];
    const reports = Array.from({ length: 60 }, (_, i) => post({ fingerprint: 'k-1', count: 1 + (i % 3), lastSeen: at(i % 2) }));
    const batches = Array.from({ length: 12 }, (_, i) => {
      const order = i % 2 === 0 ? fps : [...fps].reverse();
      return post({ groups: order.map((fingerprint) => ({ fingerprint, count: 2, lastSeen: at(1) })) });
    });
    const answers = await Promise.all([...reports, ...batches]);
    expect(answers.filter((r) => r.status >= 300).map((r) => r.status)).toEqual([]);
    // Singles: 20 × (1 + 2 + 3) in two hours; batches: 12 × 2 in hour 1.
    const singles = (hour: number) => Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 2 === hour).reduce((s, i) => s + 1 + (i % 3), 0);
    expect(await hourly('k-1')).toEqual({ hours: { [h(1)]: singles(1) + 24, [h(0)]: singles(0) }, total: 120 + 24 });
    for (const fp of fps.slice(1)) expect(await hourly(fp)).toEqual({ hours: { [h(1)]: 24 }, total: 24 });
  });

  it('answers GET …/occurrences with the hours asked for, oldest first, and 400 naming `hours` for a bad value', async () => {
    await post({ fingerprint: 'api-1', count: 3, lastSeen: at(200) }).expect(201);
    await post({ fingerprint: 'api-1', count: 2, lastSeen: at(100) }).expect(200);
    await post({ fingerprint: 'api-1', count: 1, lastSeen: at(0) }).expect(200);
    const path = `/api/v1/projects/${key}/groups/api-1/occurrences`;
    expect((await app.admin('get', path).expect(200)).body).toEqual({ items: [{ hour: h(100), count: 2 }, { hour: h(0), count: 1 }] });
    expect((await app.admin('get', `${path}?hours=720`).expect(200)).body.items).toEqual([{ hour: h(200), count: 3 }, { hour: h(100), count: 2 }, { hour: h(0), count: 1 }]);
    expect((await app.admin('get', `${path}?hours=1`).expect(200)).body.items).toEqual([{ hour: h(0), count: 1 }]);
    for (const bad of ['0', '721', 'abc', '1.5']) {
      const res = await app.admin('get', `${path}?hours=${bad}`).expect(400);
      expect(res.body.message.join(' ')).toContain('hours');
    }
    await app.admin('get', `/api/v1/projects/${key}/groups/no-such/occurrences`).expect(404);
  });

  it('deletes counts older than a cutoff in bounded batches, leaving newer ones', async () => {
    const other = await createProject(app);
    await app.http().post(`/api/v1/projects/${other.key}/groups`).set('Authorization', `Bearer ${other.ingestToken}`).send({ fingerprint: 'old-1' }).expect(201);
    await app.dataSource.query(
      `INSERT INTO group_hourly_counts (group_id, hour, count)
       SELECT g.id, date_trunc('hour', now()) - n * interval '1 hour', 1 FROM error_groups g, generate_series(1, 1000) n
        WHERE g.fingerprint = 'old-1' AND g.project_id = $1`,
      [await projectIdOf(app, other.key)],
    );
    const repo = app.service.app.get(GroupHourlyCountRepository);
    const cutoff = hourStart(800);
    let deleted = 0;
    for (let n = await repo.deleteHourlyCountsBefore(cutoff, 150); n > 0; n = await repo.deleteHourlyCountsBefore(cutoff, 150)) {
      expect(n).toBeLessThanOrEqual(150);
      deleted += n;
    }
    expect(deleted).toBe(200);
    const [left] = await app.dataSource.query(`SELECT count(*)::int AS n, min(hour) AS oldest FROM group_hourly_counts`);
    expect(left.n).toBeGreaterThan(0);
    expect(new Date(left.oldest).getTime()).toBeGreaterThanOrEqual(cutoff.getTime());
  });
});
