import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { JiraSimOptions, JiraSimulator } from '../../jira-sim';
import { ServiceProcess, startService } from './dist-service';
import { http, HttpResult } from './http';
import { PgServer, RedisServer } from './servers';

export const ADMIN_TOKEN = 'fault-admin-token-0123456789';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Polls a condition every 5 ms (tight: a kill must land mid-run); throws after timeoutMs. */
export async function until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export interface RigOptions {
  sim?: JiraSimOptions;
  /** Extra environment of every service process (JOB_LOCK_SECONDS, WORKER_CONCURRENCY, ...). */
  env?: Record<string, string>;
}

export interface Tally {
  /** acknowledged groups that are missing, or have no Jira issue of their own at the end */
  lost: number;
  /** Jira issues beyond one per group */
  duplicated: number;
  /** a few examples of each, for the failure message */
  examples: { lost: string[]; duplicated: string[] };
}

/**
 * One fault scenario's world: its own PostgreSQL and Redis, a Jira simulator, the
 * built service as separate ROLE=api and ROLE=worker processes, and a project whose
 * Jira integration opens an issue for every new group.
 */
export class Rig {
  api!: ServiceProcess;
  workers: ServiceProcess[] = [];
  /** every process started, for the diagnostics of a failure */
  readonly started: ServiceProcess[] = [];
  readonly projectKey = 'faults';
  ingestToken = '';
  projectId = '';
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'crashbridge-faults-data-'));
  private readonly encryptionKey = randomBytes(32).toString('hex');
  readonly db: Pool;

  private constructor(
    readonly pg: PgServer,
    readonly redis: RedisServer,
    readonly sim: JiraSimulator,
    private readonly opts: RigOptions,
  ) {
    // A small pool of its own: the checks read the database directly (the strongest observation).
    this.db = new Pool({ connectionString: pg.url(), max: 2, connectionTimeoutMillis: 3_000 });
    this.db.on('error', () => undefined); // idle clients die with the PostgreSQL fault; the pool replaces them
  }

  static async start(opts: RigOptions = {}): Promise<Rig> {
    const [pg, redis, sim] = await Promise.all([PgServer.start(), RedisServer.start(), JiraSimulator.start({ flavour: 'cloud', ...opts.sim })]);
    const rig = new Rig(pg, redis, sim, opts);
    try {
      rig.api = await rig.startApi();
      rig.workers.push(await rig.startWorker());
      await rig.createProject();
    } catch (err) {
      await rig.stop();
      throw err;
    }
    return rig;
  }

  env(role: 'api' | 'worker'): Record<string, string> {
    return {
      ROLE: role,
      DATABASE_URL: this.pg.url(),
      REDIS_URL: this.redis.url,
      QUEUE_PREFIX: 'cbfaults',
      DATA_DIR: this.dataDir,
      ADMIN_TOKEN,
      ENCRYPTION_KEY: this.encryptionKey,
      RESYNC_INTERVAL_SECONDS: '0',
      // The simulator's search shows a new issue after searchVisibilityDelayMs; the window must exceed it.
      JIRA_SEARCH_CONSISTENCY_SECONDS: '3',
      ...this.opts.env,
    };
  }

  async startApi(): Promise<ServiceProcess> {
    const p = await startService(this.env('api'));
    this.started.push(p);
    return p;
  }

  async startWorker(): Promise<ServiceProcess> {
    const p = await startService(this.env('worker'));
    this.started.push(p);
    return p;
  }

  /** A request to the API process; the admin token unless told. */
  request(method: string, path: string, body?: unknown, opts: { token?: string; timeoutMs?: number } = {}): Promise<HttpResult> {
    return http(method, `${this.api.url}${path}`, { body, token: opts.token ?? ADMIN_TOKEN, timeoutMs: opts.timeoutMs });
  }

  private async createProject(): Promise<void> {
    const p = await this.createPlainProject(this.projectKey);
    this.ingestToken = p.ingestToken;
    this.projectId = p.projectId;
    const s = await this.request('PUT', `/api/v1/projects/${this.projectKey}/integrations/jira`, {
      apiUrl: this.sim.apiUrl,
      auth: { type: 'basic', email: this.sim.credentials.email, apiToken: this.sim.credentials.apiToken },
      projectKey: 'CHK',
      issueType: 'Bug',
      subject: '{{title}}',
      createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 10_000 },
    });
    if (s.status !== 200) throw new Error(`configuring Jira failed: ${s.status} ${s.text}`);
  }

  /** A project without a Jira integration: ingestion only, no tickets. */
  async createPlainProject(key: string): Promise<{ ingestToken: string; projectId: string }> {
    const p = await this.request('POST', '/api/v1/projects', { key, name: `Fault suite ${key}` });
    if (p.status !== 201) throw new Error(`creating the project failed: ${p.status} ${p.text}`);
    const rows = await this.db.query(`SELECT id FROM projects WHERE key = $1`, [key]);
    return { ingestToken: p.body.ingestToken, projectId: String(rows.rows[0].id) };
  }

  marker(fingerprint: string): string {
    return ticketMarker(this.projectKey, fingerprint);
  }

  /** Acknowledged groups that have no linked issue yet. */
  async unticketed(acked: Iterable<string>): Promise<string[]> {
    const fps = [...acked];
    const { rows } = await this.db.query(
      `SELECT fingerprint FROM error_groups WHERE project_id = $1 AND fingerprint = ANY($2) AND ticket_ref IS NOT NULL`,
      [this.projectId, fps],
    );
    const done = new Set(rows.map((r) => r.fingerprint as string));
    return fps.filter((fp) => !done.has(fp));
  }

  /**
   * Polls until every acknowledged group has its issue, or none of the rest can get one
   * (ticket failed for good), or the time is up. Resolves with when the work was done
   * (ms since the epoch), or undefined when it never was.
   */
  async waitTicketed(acked: Iterable<string>, timeoutMs: number): Promise<number | undefined> {
    const fps = [...acked];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const missing = await this.unticketed(fps);
        if (missing.length === 0) return Date.now();
        const { rows } = await this.db.query(
          `SELECT count(*)::int AS n FROM error_groups WHERE project_id = $1 AND fingerprint = ANY($2) AND ticket_state IS DISTINCT FROM 'failed'`,
          [this.projectId, missing],
        );
        if (rows[0].n === 0) return undefined; // the rest failed for good: no point waiting
      } catch {
        /* the database is still coming back */
      }
      if (Date.now() > deadline) return undefined;
      await sleep(250);
    }
  }

  /**
   * When the last of these groups got its issue (ms since the epoch): the activity entry
   * written in the transaction that links the issue. Lets recovered_in measure the
   * backlog of the fault alone, not traffic that kept coming after it.
   */
  async lastTicketedAt(fingerprints: Iterable<string>): Promise<number | undefined> {
    const { rows } = await this.db.query(
      `SELECT max(at) AS at FROM activity WHERE project_id = $1 AND kind IN ('ticket.created', 'ticket.linked') AND fingerprint = ANY($2)`,
      [this.projectId, [...fingerprints]],
    );
    return rows[0].at ? new Date(rows[0].at).getTime() : undefined;
  }

  /**
   * What the fault did, computed from the database and the simulator: an acknowledged
   * group is lost unless its row exists and is linked to the one issue carrying its
   * marker; every issue beyond one per group (per marker, or with a marker of no
   * group at all) is a duplicate.
   */
  async tally(acked: Iterable<string>): Promise<Tally> {
    const { rows } = await this.db.query(
      `SELECT g.fingerprint, i.issue_key FROM error_groups g LEFT JOIN jira_issues i ON i.id = g.ticket_ref WHERE g.project_id = $1`,
      [this.projectId],
    );
    const linked = new Map<string, string | null>(rows.map((r) => [r.fingerprint as string, (r.issue_key as string | null) ?? null]));
    const byMarker = new Map<string, string[]>();
    for (const issue of this.sim.listIssues()) {
      const marker = ((issue.fields.labels as string[] | undefined) ?? []).find((l) => /^cb-[0-9a-f]{16}$/.test(l)) ?? `unmarked:${issue.key}`;
      byMarker.set(marker, [...(byMarker.get(marker) ?? []), issue.key]);
    }
    const lost: string[] = [];
    for (const fp of acked) {
      const key = linked.get(fp);
      if (!key || !(byMarker.get(this.marker(fp)) ?? []).includes(key)) lost.push(`${fp}${linked.has(fp) ? ` (issue ${key ?? 'none'})` : ' (no row)'}`);
    }
    const groupMarkers = new Set([...linked.keys()].map((fp) => this.marker(fp)));
    const duplicated: string[] = [];
    for (const [marker, keys] of byMarker) duplicated.push(...keys.slice(groupMarkers.has(marker) ? 1 : 0).map((k) => `${k} (${marker})`));
    return { lost: lost.length, duplicated: duplicated.length, examples: { lost: lost.slice(0, 10), duplicated: duplicated.slice(0, 10) } };
  }

  /** Logs and outbox state for a failure message. */
  async diagnostics(): Promise<string> {
    let outbox = '';
    try {
      const { rows } = await this.db.query(
        `SELECT kind, status, count(*)::int AS n, max(attempts) AS max_attempts, max(last_error) AS an_error FROM outbox GROUP BY kind, status`,
      );
      const unfinished = await this.db.query(
        `SELECT id, kind, status, attempts, payload, created_at, queued_at, available_at, locked_until, last_error FROM outbox
          WHERE status NOT IN ('done') ORDER BY id LIMIT 10`,
      );
      outbox = `${JSON.stringify(rows)}\nunfinished or failed (first 10): ${JSON.stringify(unfinished.rows)}`;
    } catch (err) {
      outbox = `(outbox unreadable: ${(err as Error).message})`;
    }
    return [`outbox: ${outbox}`, ...this.started.map((p) => p.tail(25))].join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.started.map((p) => p.stop(10_000)));
    await this.sim.stop().catch(() => undefined);
    await this.db.end().catch(() => undefined);
    await Promise.all([this.redis.destroy(), this.pg.destroy()]);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Prints the fault line (and appends it to FAULTS_REPORT for scripts/test-faults.mjs,
 * which prints them all before its summary). Called before the assertions, so a
 * failing fault still shows what was measured.
 */
export function reportFault(name: string, r: { lost: number; duplicated: number; recoveredInMs: number | undefined }): string {
  const recovered = r.recoveredInMs === undefined ? 'never' : seconds(r.recoveredInMs).toFixed(1);
  const line = `fault: ${name} lost=${r.lost} duplicated=${r.duplicated} recovered_in=${recovered}`;
  process.stdout.write(`${line}\n`);
  if (process.env.FAULTS_REPORT) appendFileSync(process.env.FAULTS_REPORT, `${line}\n`);
  return line;
}
