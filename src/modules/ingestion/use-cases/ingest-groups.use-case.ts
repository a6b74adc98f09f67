import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Coalescer } from '@app/common/coalescer';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { isDatabaseUnavailable, isRetryableTransactionError } from '@app/common/errors/database-errors';
import { badRequest } from '@app/common/errors/domain-error';
import { inTransaction } from '@app/database/transaction';
import { ErrorGroupEntity } from '@app/database/entities';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { LockedForMerge, ProjectGone, UpsertedGroup, UpsertKind, UpsertResult } from '@app/database/repositories/group.rows';
import { IdempotencyKeyRepository } from '@app/database/repositories/idempotency-key.repository';
import { IssueUpdateRepository } from '@app/database/repositories/issue-update.repository';
import { OutboxService } from '@app/queue/outbox.service';
import { LinkedIssuesService } from '@app/modules/tickets/linking/linked-issues.service';
import { TicketRulesService } from '@app/modules/tickets/creation/ticket-rules.service';
import { NewActivity } from '@app/modules/activity/activity.service';
import { RegressionService } from '@app/modules/regression/regression.service';
import { Regression } from '@app/modules/regression/detect-regression';
import { normalizeAttributes } from '@app/modules/ingest-body/attribute-histograms';
import { trimAttributes } from '@app/modules/ingest-body/attribute-budget';
import { foldNotice } from '@app/modules/ingestion/domain/fold-notice';
import { replayOf, StoredResponse } from '@app/modules/ingestion/domain/idempotency';
import { GroupSnapshot, mergeReport, reportTimes } from '@app/modules/ingest-body/merge-report';
import { ParsedBody, ParsedItem } from '@app/modules/ingest-body/parse-ingest-body';
import { GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { addUp, Delta } from '@app/modules/ingestion/domain/report-deltas';
import { BatchItemResultDto, IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';

export interface IngestRequest {
  projectId: string;
  body: ParsedBody;
  idempotency?: { key: string; bodyHash: string };
  /**
   * An ingest token the guard took from memory (RequestAuth.unverifiedTokenHash):
   * checked against the database by the statement or transaction that writes;
   * `verified` is set once it has been.
   */
  token?: TokenCheck;
}

export interface TokenCheck {
  hash: string;
  verified: boolean;
}

/** The ingest token no longer belongs to the project (rotated or deleted): nothing was written. */
export class IngestTokenRejected extends Error {
  constructor() {
    super('token is not valid');
  }
}

export interface IngestResult extends StoredResponse {
  replayed: boolean;
}

/**
 * Fast statements of one project and token running at once; more requests wait and share the
 * next one. One in both modes. Embedded PGlite has one pooled connection: a second statement
 * would only wait for it. On PostgreSQL, two at once cost more CPU per report in smaller
 * statements, and the machine's CPU is what limits (npm run bench, single: 3,768 req/s with two,
 * 4,505 with one, p99 16.5 → 15.7 ms).
 */
const SINGLES_RUNNING = 1;
/** Reports in one shared fast statement. */
const SINGLES_BATCH = 100;

/**
 * Ingests reports into their groups. A single report without Idempotency-Key is one
 * statement (atomic on its own) when the ticket rules cannot apply (the project has no
 * Jira integration, or the group has a ticket or a ticket state already), and
 * concurrent single reports of a project share that statement (common/coalescer.ts);
 * everything else runs in one transaction: the upsert, merges that need code, the
 * ticket rules (TicketRulesService.afterIngest) and the idempotency record.
 */
@Injectable()
export class IngestGroupsUseCase {
  /** Concurrent single reports of a project share the fast statement (common/coalescer.ts). */
  private readonly singles: Coalescer<{ kind: UpsertKind; projectId: string; tokenHash?: string }, Delta, UpsertResult>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupRepository,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    private readonly ticketRules: TicketRulesService,
    private readonly linked: LinkedIssuesService,
    private readonly regression: RegressionService,
    private readonly issueUpdates: IssueUpdateRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.singles = new Coalescer((c, deltas) => this.groups.upsertReports(this.dataSource.manager, c.kind, c.projectId, deltas, c.tokenHash), {
      maxRunning: SINGLES_RUNNING,
      maxBatch: SINGLES_BATCH,
      identity: (d) => d.fingerprint,
      // Down, deadlocked: every report would fail alike (and a deadlock sends each to the transaction below).
      retryAlone: (err) => !isDatabaseUnavailable(err) && !isRetryableTransactionError(err),
      // Embedded, PGlite waited for the next statement while this thread answered the last one's requests:
      // 1.8 ms between statements (p50), 0.7 ms with the answers deferred; single-embedded 0.76–0.78 of
      // PostgreSQL mode → 0.87–0.89 (npm run bench). On PostgreSQL this thread is the limit: no gain there.
      answerNextTurn: config.databaseUrl === undefined,
    });
  }

  async execute(req: IngestRequest): Promise<IngestResult> {
    const items: ParsedItem[] = req.body.batch ? req.body.items : [req.body.item];
    if (!req.body.batch && !req.body.item.ok) {
      throw badRequest('INVALID_GROUP', req.body.item.errors.join('; '));
    }
    const now = new Date();
    const deltas = addUp(items, now);
    let result: IngestResult | undefined;
    let rulesRan = false;
    if (!req.body.batch && !req.idempotency && !deltas[0].complex) {
      // One statement; it writes nothing when the ticket rules may apply or a limit is near. A report
      // past the byte budget (complex) goes to the transaction: even a new group is trimmed in code.
      const kind: UpsertKind = req.token ? 'single-fast-token' : 'single-fast';
      const lane = `${req.projectId}:${req.token?.hash ?? 'admin'}`;
      let up: UpsertResult | undefined;
      try {
        up = await this.singles.submit(lane, { kind, projectId: req.projectId, tokenHash: req.token?.hash }, deltas[0]);
      } catch (err) {
        // A deadlock (with a project being deleted, say) wrote nothing: the transaction below retries.
        if (!isRetryableTransactionError(err)) throw err;
      }
      if (up && req.token) {
        if (!up.tokenOk) throw new IngestTokenRejected();
        req.token.verified = true;
      }
      if (up && !up.projectOk) throw new ProjectGone();
      if (up?.rows.has(deltas[0].fingerprint)) result = { ...this.respond(req.body, items, up.rows), replayed: false };
    }
    if (!result) {
      result = await inTransaction(this.dataSource, async (m) => {
        if (req.token) {
          if (!(await this.groups.ingestTokenHolds(m, req.projectId, req.token.hash))) throw new IngestTokenRejected();
          req.token.verified = true;
        }
        if (req.idempotency) {
          const stored = await this.idempotencyKeys.claim(m, req.projectId, req.idempotency.key, req.idempotency.bodyHash);
          if (stored) return { ...replayOf(stored, req.idempotency.bodyHash), replayed: true };
        }
        const up = await this.groups.upsertReports(m, req.body.batch ? 'batch' : 'single', req.projectId, deltas);
        if (!up.projectOk) throw new ProjectGone();
        const regressed = await this.mergeInCode(m, req.projectId, deltas, up.rows, now);
        rulesRan = (up.hasIntegration && up.rows.size > 0) || regressed > 0;
        if (rulesRan) await this.ticketRules.afterIngest(m, req.projectId, [...up.rows.values()], new Map(deltas.map((d) => [d.fingerprint, d.count])));
        if (!req.body.batch) await this.ticketViews(m, up.rows);
        const response = this.respond(req.body, items, up.rows);
        if (req.idempotency) await this.idempotencyKeys.storeResponse(m, req.projectId, req.idempotency.key, response.statusCode, response.body);
        return { ...response, replayed: false };
      });
    }
    if (!result.replayed) {
      if (rulesRan) this.outbox.kick();
      let accepted = 0;
      for (const i of items) if (i.ok) accepted++;
      if (accepted > 0) this.metrics.ingestedGroups.inc({ result: 'accepted' }, accepted);
      if (accepted < items.length) this.metrics.ingestedGroups.inc({ result: 'rejected' }, items.length - accepted);
    }
    return result;
  }

  private respond(body: ParsedBody, items: ParsedItem[], rows: Map<string, UpsertedGroup>): StoredResponse {
    if (!body.batch) {
      const g = rows.get((items[0] as { report: IngestGroupDto }).report.fingerprint)!;
      return { statusCode: g.created ? 201 : 200, body: GroupResponseDto.from(g, g.ticket ?? null) };
    }
    const seen = new Map<string, number>();
    const results: BatchItemResultDto[] = items.map((i) => {
      if (!i.ok) return { fingerprint: i.fingerprint, status: 'error', error: i.errors.join('; ') };
      const fp = i.report.fingerprint;
      const nth = seen.get(fp) ?? 0;
      seen.set(fp, nth + 1);
      const row = rows.get(fp)!;
      // A fingerprint repeated within one batch is "created" only the first time.
      if (row.created && nth === 0) return { fingerprint: fp, status: 'created' };
      return { fingerprint: fp, status: row.regressedBy === nth ? 'regressed' : 'updated' };
    });
    return { statusCode: 200, body: { results } };
  }

  /**
   * The groups the upsert left to code (an attribute limit could be reached, or the
   * group is resolved): locked already, read, merged report by report with
   * mergeReport() (which folds to the value caps), trimmed to the byte budget once,
   * written back; the first fold of an attribute is logged. Each report is first checked
   * for a regression; the row lock makes the first regressing report the only one.
   * Returns how many groups regressed.
   */
  private async mergeInCode(m: EntityManager, projectId: string, deltas: Delta[], rows: Map<string, UpsertedGroup>, now: Date): Promise<number> {
    const leftToCode = deltas.filter((d) => d.complex || !rows.has(d.fingerprint));
    if (leftToCode.length === 0) return 0;
    const stored = await this.groups.lockForMerge(m, projectId, leftToCode.map((d) => d.fingerprint));
    const byFp = new Map(stored.map((g) => [g.fingerprint, g]));
    const merged: LockedForMerge[] = [];
    const sums = new Map<string, Delta>();
    const log: NewActivity[] = [];
    const regressed: Array<{ group: ErrorGroupEntity; regression: Regression }> = [];
    for (const d of leftToCode) {
      const g = byFp.get(d.fingerprint);
      if (!g) throw new Error(`group ${d.fingerprint} vanished while locked`);
      const target = { ...g, count: Number(g.count) };
      const folded = new Set<string>();
      d.reports.forEach((r, index) => {
        const count = r.count ?? 1;
        const facts = { attributes: normalizeAttributes(r.attributes, count), count, lastSeen: reportTimes(r, now).lastSeen };
        const regression = this.regression.check(target as unknown as ErrorGroupEntity, facts, now, log);
        if (regression) {
          regressed.push({ group: target as unknown as ErrorGroupEntity, regression });
          target.regressedBy = index;
        }
        Object.assign(target, mergeReport(target as GroupSnapshot, r, now, folded));
      });
      target.attributes = trimAttributes(target.attributes, folded);
      const notice = foldNotice(g, folded);
      if (notice) log.push(notice);
      const created = rows.get(d.fingerprint)?.created ?? false;
      merged.push({ ...target, created, ticketState: g.ticketState });
      sums.set(g.id, d);
    }
    const stamp = await this.groups.writeMerged(m, merged, sums);
    // The upsert queues the issue updates of the groups it wrote; these it left to code.
    const withTicket = stored.filter((g) => g.ticketRef !== null && g.ticketRef !== undefined);
    const after = new Map(merged.map((g) => [g.id, Number(g.count)]));
    await this.issueUpdates.enqueueForMerged(m, projectId, withTicket.map((g) => ({ id: g.id, ticketRef: String(g.ticketRef), before: Number(g.count), after: after.get(g.id) ?? Number(g.count) })));
    for (const g of merged) {
      g.updatedAt = new Date(stamp.get(g.id) ?? now);
      g.ticket = undefined;
      rows.set(g.fingerprint, g);
    }
    await this.regression.record(m, log, regressed);
    return regressed.length;
  }

  /** Ticket views for rows that did not come with one (merged in code). */
  private async ticketViews(m: EntityManager, rows: Map<string, UpsertedGroup>): Promise<void> {
    const missing = [...rows.values()].filter((g) => g.ticket === undefined);
    if (missing.length === 0) return;
    const views = await this.linked.viewsFor(m, missing);
    for (const g of missing) g.ticket = views.get(g.id) ?? null;
  }
}
