import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { pgQuery, statement } from '@app/database/pg-query';
import { AppConfig } from '@app/config/app-config';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { JobGates } from '@app/queue/job-gates';
import { JobRegistry } from '@app/queue/job-registry';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { OutboxRunner } from '@app/queue/outbox-runner.service';
import { openRepositoryDatabase, RepositoryDatabase } from '../../support/repository-database';

const LOCK_SECONDS = 5;

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

  it('claims a due row once, for the lock time, and counts the attempt', async () => {
    const id = (await outbox.insert(db.dataSource.manager, job('short.kind')))!;
    const claimed = await outbox.claimDue(id, LOCK_SECONDS);
    expect(claimed).toEqual({ id, kind: 'short.kind', payload: { n: 1 }, attempts: 1, projectId: null });
    expect(await outbox.claimDue(id, LOCK_SECONDS)).toBeUndefined();
    const row = await statusOf(db.dataSource, id);
    expect(row).toMatchObject({ status: 'processing', attempts: 1 });
    expect(row.lock_s).toBeGreaterThan(3);
    expect(row.lock_s).toBeLessThanOrEqual(5);
  });

  it('does not claim or dispatch a row before it is due', async () => {
    const id = (await outbox.insert(db.dataSource.manager, job('later.kind', null, 60_000)))!;
    expect(await outbox.claimDue(id, LOCK_SECONDS)).toBeUndefined();
    expect((await outbox.findDue(1000, 60)).map((r) => r.id)).not.toContain(id);
  });

  it('takes over a row whose lock lapsed, and the stale attempt can no longer settle it', async () => {
    const id = (await outbox.insert(db.dataSource.manager, job('other.kind')))!;
    expect((await outbox.claimDue(id, LOCK_SECONDS))!.attempts).toBe(1);
    await db.dataSource.query(`UPDATE outbox SET locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await outbox.findDue(1000, 60)).map((r) => r.id)).toContain(id);
    expect((await outbox.claimDue(id, LOCK_SECONDS))!.attempts).toBe(2);
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
    await outbox.claimDue(first!, LOCK_SECONDS);
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

describe('a wake for a cause (wakeWaiting)', () => {
  let db: RepositoryDatabase;
  let outbox: OutboxRepository;
  let projectId: string;
  const WAIT = 'jira-credentials';
  const HOUR_MS = 3_600_000;
  const dueNow = async (id: string) =>
    (await db.dataSource.query(`SELECT available_at <= now() AS due, waiting_for FROM outbox WHERE id = $1`, [id]))[0] as { due: boolean; waiting_for: string | null };
  const claimedRow = async () => {
    const id = (await outbox.insert(db.dataSource.manager, { ...job('ticket.create'), projectId }))!;
    expect((await outbox.claimDue(id, LOCK_SECONDS))!.attempts).toBe(1);
    return id;
  };

  beforeAll(async () => {
    db = await openRepositoryDatabase();
    outbox = new OutboxRepository(db.dataSource);
    const [row] = await db.dataSource.query(`INSERT INTO projects (key, name, ingest_token_hash) VALUES ('wk', 'W', 'hw') RETURNING id`);
    projectId = String(row.id);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('makes the waiting rows due at once, and counts them', async () => {
    const id = await claimedRow();
    await outbox.markWaiting(id, 1, WAIT, 'refused', HOUR_MS);
    expect(await dueNow(id)).toEqual({ due: false, waiting_for: WAIT });
    expect(await outbox.wakeWaiting(db.dataSource.manager, projectId, WAIT)).toBe(1);
    expect(await dueNow(id)).toEqual({ due: true, waiting_for: null });
    expect(await statusOf(db.dataSource, id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('is not missed by a job still running when it came: that job, ending in the same wait, is due at once', async () => {
    const id = await claimedRow();
    // The wake comes while the job runs (it already got its refusal, say), and counts no waiting row.
    expect(await outbox.wakeWaiting(db.dataSource.manager, projectId, WAIT)).toBe(0);
    await outbox.markWaiting(id, 1, WAIT, 'refused', HOUR_MS);
    expect(await dueNow(id)).toEqual({ due: true, waiting_for: null });
  });

  it('holds only for the run it came in, and only for its own cause', async () => {
    const other = await claimedRow();
    await outbox.wakeWaiting(db.dataSource.manager, projectId, 'another-cause');
    await outbox.markWaiting(other, 1, WAIT, 'refused', HOUR_MS);
    expect(await dueNow(other)).toEqual({ due: false, waiting_for: WAIT });

    const rerun = await claimedRow();
    await outbox.wakeWaiting(db.dataSource.manager, projectId, WAIT);
    await outbox.markWaiting(rerun, 1, WAIT, 'refused', 0);
    // The next run starts afresh: a refusal then waits its full time.
    expect((await outbox.claimDue(rerun, LOCK_SECONDS))!.attempts).toBe(1);
    await outbox.markWaiting(rerun, 1, WAIT, 'refused again', HOUR_MS);
    expect(await dueNow(rerun)).toEqual({ due: false, waiting_for: WAIT });
  });
});

/** The lock of the runners below: renewed every third of a second while their jobs run. */
const SHORT_LOCK_SECONDS = 1;

/** An OutboxRunner on the test database whose every job runs `handle`. */
function runnerWith(db: RepositoryDatabase, handle: (ctx: JobContext) => Promise<void>): OutboxRunner {
  const handler: HandlesJob<never> = { handle: (_payload, ctx) => handle(ctx) };
  const registry = { get: () => handler } as unknown as JobRegistry;
  const gates = { check: async () => null } as unknown as JobGates;
  const config = { jobLockSeconds: SHORT_LOCK_SECONDS } as AppConfig;
  return new OutboxRunner(db.dataSource, new OutboxRepository(db.dataSource), registry, new MetricsService(), gates, config);
}

/** Resolves once the database clock has passed `t` (a lock's end). */
async function afterDatabaseTime(ds: DataSource, t: Date): Promise<void> {
  for (;;) {
    // A millisecond more: `t` came through a JS Date, which drops the microseconds.
    const [{ past }] = await ds.query(`SELECT now() > $1::timestamptz + interval '1 millisecond' AS past`, [t]);
    if (past) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function lockOf(ds: DataSource, id: string): Promise<{ lockedUntil: Date; held: boolean; status: string; attempts: number }> {
  const [row] = await ds.query(`SELECT locked_until, locked_until > now() AS held, status, attempts FROM outbox WHERE id = $1`, [id]);
  return { lockedUntil: row.locked_until && new Date(row.locked_until), held: row.held, status: row.status, attempts: Number(row.attempts) };
}

describe('a running job renews its claim (heartbeat)', () => {
  let db: RepositoryDatabase;
  let outbox: OutboxRepository;

  beforeAll(async () => {
    db = await openRepositoryDatabase();
    outbox = new OutboxRepository(db.dataSource);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  const insert = async (kind: string) => (await outbox.insert(db.dataSource.manager, job(kind)))!;

  it('extends locked_until while the handler runs, past the lock it was claimed with', async () => {
    const id = await insert('renewed.kind');
    const seen: Array<{ lockedUntil: Date; held: boolean }> = [];
    const runner = runnerWith(db, async () => {
      const claimed = await lockOf(db.dataSource, id);
      await afterDatabaseTime(db.dataSource, claimed.lockedUntil);
      seen.push(claimed, await lockOf(db.dataSource, id));
    });
    expect(await runner.run(id)).toBe('done');
    const [claimed, later] = seen;
    expect(later.lockedUntil.getTime()).toBeGreaterThan(claimed.lockedUntil.getTime());
    expect(later.held).toBe(true);
    expect(await lockOf(db.dataSource, id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('is not claimed by another runner while renewed, however long it runs: one run', async () => {
    const id = await insert('slow.kind');
    let runs = 0;
    const otherOutcomes: string[] = [];
    let running = true;
    const slow = runnerWith(db, async () => {
      runs++;
      const claimed = await lockOf(db.dataSource, id);
      // Another worker keeps trying to take the row until this job has outlived its first lock twice over.
      const other = runnerWith(db, async () => void runs++);
      const until = new Date(claimed.lockedUntil.getTime() + SHORT_LOCK_SECONDS * 1_000);
      const past = afterDatabaseTime(db.dataSource, until).then(() => (running = false));
      while (running) {
        otherOutcomes.push(await other.run(id));
        await new Promise((r) => setTimeout(r, 100));
      }
      await past;
    });
    expect(await slow.run(id)).toBe('done');
    expect(runs).toBe(1);
    expect(otherOutcomes.length).toBeGreaterThan(0);
    expect(new Set(otherOutcomes)).toEqual(new Set(['skipped']));
    expect(await lockOf(db.dataSource, id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('is claimed again after the lock when its worker stopped renewing (a dead worker), and the dead claim is fenced', async () => {
    const id = await insert('orphaned.kind');
    // The dead worker: claimed the row, then never renewed nor settled it.
    const dead = (await outbox.claimDue(id, SHORT_LOCK_SECONDS))!;
    const attempts: number[] = [];
    const runner = runnerWith(db, async (ctx) => void attempts.push(ctx.attempt));
    expect(await runner.run(id)).toBe('skipped');
    await afterDatabaseTime(db.dataSource, (await lockOf(db.dataSource, id)).lockedUntil);
    expect((await outbox.findDue(1000, 60)).map((r) => r.id)).toContain(id);
    expect(await runner.run(id)).toBe('done');
    expect(attempts).toEqual([2]);
    expect(await outbox.renewClaim(id, dead.attempts, SHORT_LOCK_SECONDS)).toBe(false);
    expect(await lockOf(db.dataSource, id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('stops renewing a claim another worker took over, whose run can then no longer settle the row', async () => {
    const id = await insert('taken.kind');
    const warn = jest.spyOn(Logger.prototype, 'warn');
    let taken: number | undefined;
    const runner = runnerWith(db, async () => {
      // The database stalled this worker past its lock: another worker claimed the row, for 60 s.
      await db.dataSource.query(`UPDATE outbox SET attempts = attempts + 1, locked_until = now() + interval '60 seconds' WHERE id = $1`, [id]);
      taken = (await lockOf(db.dataSource, id)).attempts;
      const theirs = await lockOf(db.dataSource, id);
      // A renewal of this run would shorten the new owner's lock to 1 s.
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await lockOf(db.dataSource, id)).lockedUntil).toEqual(theirs.lockedUntil);
    });
    try {
      expect(await runner.run(id)).toBe('done');
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ msg: expect.stringContaining('job claim lost while running'), outboxId: id, attempt: 1 }));
    } finally {
      warn.mockRestore();
    }
    expect(taken).toBe(2);
    expect(await lockOf(db.dataSource, id)).toMatchObject({ status: 'processing', attempts: 2, held: true });
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

  it('runs a named statement again on the pool, also after the pool replaced its connection', async () => {
    const s = statement('crashbridge_test_echo', 'SELECT $1::int + 1 AS n');
    const run = async (i: number) => (await pgQuery<{ n: number }>(db.dataSource.manager, s, [i]))[0].n;
    for (let i = 0; i < 3; i++) expect(await run(i)).toBe(i + 1);
    // A connection closed (released as broken): embedded PGlite keeps its prepared statements in the one session
    // every connection shares, and the next connection must not fail to prepare the statement again.
    const pool = (db.dataSource.driver as PostgresDriver).master as { connect(): Promise<{ release(destroy?: boolean): void }> };
    const client = await pool.connect();
    client.release(true);
    for (let i = 0; i < 3; i++) expect(await run(i)).toBe(i + 1);
  });

});
