import { DataSource } from 'typeorm';
import { pgQuery, statement } from '@app/database/pg-query';
import { ClaimLocks, OutboxRepository } from '@app/database/repositories/outbox.repository';
import { openRepositoryDatabase, RepositoryDatabase } from '../../support/repository-database';

const LOCKS: ClaimLocks = { defaultSeconds: 60, kinds: ['short.kind'], seconds: [5] };

const job = (kind: string, dedupeKey: string | null = null, delayMs = 0) => ({ projectId: null, kind, payload: { n: 1 }, dedupeKey, delayMs });

async function statusOf(ds: DataSource, id: string): Promise<{ status: string; attempts: number; lock_s: number | null }> {
  const [row] = await ds.query(`SELECT status, attempts, extract(epoch FROM locked_until - now())::int AS lock_s FROM outbox WHERE id = $1`, [id]);
  return row;
}

describe('OutboxRepository against the database', () => {
  let db: RepositoryDatabase;
  let outbox: OutboxRepository;

  beforeAll(async () => {
    db = await openRepositoryDatabase();
    outbox = new OutboxRepository(db.dataSource);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('claims a due row once, for its kind lock time, and counts the attempt', async () => {
    const id = (await outbox.insert(db.dataSource.manager, job('short.kind')))!;
    const claimed = await outbox.claimDue(id, LOCKS);
    expect(claimed).toEqual({ id, kind: 'short.kind', payload: { n: 1 }, attempts: 1, projectId: null });
    expect(await outbox.claimDue(id, LOCKS)).toBeUndefined();
    const row = await statusOf(db.dataSource, id);
    expect(row).toMatchObject({ status: 'processing', attempts: 1 });
    expect(row.lock_s).toBeGreaterThan(3);
    expect(row.lock_s).toBeLessThanOrEqual(5);
  });

  it('does not claim or dispatch a row before it is due', async () => {
    const id = (await outbox.insert(db.dataSource.manager, job('later.kind', null, 60_000)))!;
    expect(await outbox.claimDue(id, LOCKS)).toBeUndefined();
    expect((await outbox.findDue(1000, 60)).map((r) => r.id)).not.toContain(id);
  });

  it('takes over a row whose lock lapsed, and the stale attempt can no longer settle it', async () => {
    const id = (await outbox.insert(db.dataSource.manager, job('other.kind')))!;
    expect((await outbox.claimDue(id, LOCKS))!.attempts).toBe(1);
    await db.dataSource.query(`UPDATE outbox SET locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await outbox.findDue(1000, 60)).map((r) => r.id)).toContain(id);
    expect((await outbox.claimDue(id, LOCKS))!.attempts).toBe(2);
    await outbox.markDone(db.dataSource.manager, id, 1);
    await outbox.markUnsuccessful(id, 1, 'failed', 'stale worker', 0);
    expect(await statusOf(db.dataSource, id)).toMatchObject({ status: 'processing', attempts: 2 });
    await outbox.markDone(db.dataSource.manager, id, 2);
    expect(await statusOf(db.dataSource, id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('keeps one unfinished row per dedupe key', async () => {
    const first = await outbox.insert(db.dataSource.manager, job('dedupe.kind', 'k-1'));
    expect(first).not.toBeNull();
    expect(await outbox.insert(db.dataSource.manager, job('dedupe.kind', 'k-1'))).toBeNull();
    expect(await outbox.insertMany(db.dataSource.manager, [job('dedupe.kind', 'k-1'), job('dedupe.kind', 'k-2')])).toBe(1);
    await outbox.claimDue(first!, LOCKS);
    await outbox.releaseDedupeKey(first!, 1);
    expect(await outbox.insert(db.dataSource.manager, job('dedupe.kind', 'k-1'))).not.toBeNull();
  });

  it('marks rows queued and offers them again', async () => {
    const id = (await outbox.insert(db.dataSource.manager, job('queued.kind')))!;
    await outbox.markQueued([id]);
    expect(await statusOf(db.dataSource, id)).toMatchObject({ status: 'queued' });
    expect(await outbox.requeueQueued()).toBeGreaterThanOrEqual(1);
    expect(await statusOf(db.dataSource, id)).toMatchObject({ status: 'pending' });
  });
});

describe('pgQuery', () => {
  let db: RepositoryDatabase;

  beforeAll(async () => {
    db = await openRepositoryDatabase();
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it("runs on the transaction's own connection inside a transaction", async () => {
    const outbox = new OutboxRepository(db.dataSource);
    const seen = await db.dataSource.transaction(async (m) => {
      await outbox.insert(m, job('tx.kind'));
      const [row] = await pgQuery<{ n: number }>(m, { text: `SELECT count(*)::int AS n FROM outbox WHERE kind = 'tx.kind'` }, []);
      return row.n;
    });
    expect(seen).toBe(1);
  });

  it('runs a named statement again on the pool (prepared on a PostgreSQL server)', async () => {
    const s = statement('crashbridge_test_echo', 'SELECT $1::int + 1 AS n', db.server);
    for (let i = 0; i < 3; i++) {
      const [row] = await pgQuery<{ n: number }>(db.dataSource.manager, s, [i]);
      expect(row.n).toBe(i + 1);
    }
  });
});
