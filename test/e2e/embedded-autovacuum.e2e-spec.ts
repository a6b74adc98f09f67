// Embedded PGlite has no autovacuum: every report updates its group in place, and without a VACUUM the old
// versions and their index entries stay for ever. EmbeddedAutovacuum does autovacuum's work there; on PostgreSQL
// (which has its own) it does nothing.
import { EmbeddedAutovacuum } from '@app/modules/retention/embedded-autovacuum';
import { createProject, startTestApp, TestApp } from '../support/test-app';
import { testMode } from '../support/test-env';

const FINGERPRINTS = 5;
const REPORTS_PER_BURST = 1_500;

describe(`embedded autovacuum (${testMode()})`, () => {
  let app: TestApp;
  let key: string;
  let ingestToken: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ key, ingestToken } = await createProject(app));
  });
  afterAll(async () => {
    await app.stop();
  });

  /** Reports of the same few groups, eight at a time: each one a new version of its group's row. */
  async function burst(): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = next++; i < REPORTS_PER_BURST; i = next++) {
        await app.http().post(`/api/v1/projects/${key}/groups`).set('authorization', `Bearer ${ingestToken}`)
          .send({ fingerprint: `vac-${i % FINGERPRINTS}`, title: 'crash', count: 1 }).expect((r) => expect([200, 201]).toContain(r.status));
      }
    }));
  }
  const pages = async () => {
    // The statistics lag the last second's updates (the backend hands them over at most once a second).
    await app.dataSource.query('SELECT pg_stat_force_next_flush()');
    const [row] = await app.dataSource.query(
      `SELECT pg_relation_size('error_groups') / 8192 AS heap, pg_relation_size('error_groups_project_count') / 8192 AS "index",
              (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'error_groups')::int AS dead`,
    );
    return { heap: Number(row.heap), index: Number(row.index), dead: row.dead as number };
  };

  (testMode() === 'embedded' ? it : it.skip)('vacuums the groups the reports updated, so their table and indexes stop growing', async () => {
    const vacuum = app.service.app.get(EmbeddedAutovacuum);
    // This test runs the rounds itself: the minute's timer would take the dead rows it counts.
    clearInterval((vacuum as unknown as { timer: NodeJS.Timeout }).timer);
    await burst();
    const first = await pages();
    await burst();
    const grown = await pages();
    // Without a vacuum every burst adds index entries for versions no one can see.
    expect(grown.index).toBeGreaterThan(first.index);
    expect(grown.dead).toBeGreaterThan(REPORTS_PER_BURST);

    const taken = await vacuum.runOnce();
    expect(taken).toContain('public.error_groups');
    expect((await pages()).dead).toBe(0);
    // Nothing is due right after a round: it looks again once enough has changed.
    expect(await vacuum.runOnce()).toEqual([]);

    // With a round before each burst, the freed space is used again: the heap back to its first size, and the
    // index (whose new entries go to new keys, so it takes pages freed a round earlier) levels off.
    await burst();
    const level = await pages();
    for (let round = 0; round < 2; round++) {
      await vacuum.runOnce();
      await burst();
    }
    const after = await pages();
    expect(after.heap).toBeLessThanOrEqual(first.heap);
    expect(after.index - level.index).toBeLessThan(grown.index - first.index);
  }, 120_000);

  (testMode() === 'embedded' ? it : it.skip)('counts none of the rows it removed as dead, though the last second\'s updates had not reached the statistics', async () => {
    const vacuum = app.service.app.get(EmbeddedAutovacuum);
    // Updates up to the round: the backend hands its counts over once a second, so the last ones are still its own.
    const until = Date.now() + 1_500;
    while (Date.now() < until) await app.dataSource.query(`UPDATE error_groups SET count = count + 1 WHERE fingerprint LIKE 'vac-%'`);
    expect(await vacuum.runOnce()).toContain('public.error_groups');
    expect((await pages()).dead).toBe(0);
  }, 60_000);

  (testMode() === 'postgres' ? it : it.skip)('leaves PostgreSQL to its own autovacuum: no rounds are scheduled', async () => {
    const vacuum = app.service.app.get(EmbeddedAutovacuum) as unknown as { timer?: NodeJS.Timeout };
    expect(vacuum.timer).toBeUndefined();
  });
});
