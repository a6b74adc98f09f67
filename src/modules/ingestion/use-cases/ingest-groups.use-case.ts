import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Coalescer } from '@app/common/coalescer';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { isDatabaseUnavailable, isRetryableTransactionError } from '@app/common/errors/database-errors';
import { badRequest } from '@app/common/errors/domain-error';
import { inTransaction } from '@app/database/transaction';
import { AttributeHistograms, ErrorGroupEntity, GroupState, ResolvedUntil, TicketState } from '@app/database/entities';
import { OutboxService } from '@app/queue/outbox.service';
import { LinkedIssuesService, TicketView } from '@app/modules/tickets/linking/linked-issues.service';
import { TicketRulesService } from '@app/modules/tickets/creation/ticket-rules.service';
import { NewActivity } from '@app/modules/activity/activity.service';
import { RegressionService } from '@app/modules/regression/regression.service';
import { Regression } from '@app/modules/regression/detect-regression';
import { normalizeAttributes } from '@app/modules/ingest-body/attribute-histograms';
import { claimIdempotencyKey, StoredResponse, storeIdempotentResponse } from '@app/modules/ingestion/domain/idempotency';
import { GroupSnapshot, mergeReport, reportTimes } from '@app/modules/ingest-body/merge-report';
import { ParsedBody, ParsedItem } from '@app/modules/ingest-body/parse-ingest-body';
import { GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { addUp, Delta } from '@app/modules/ingestion/domain/report-deltas';
import { FULL_COLUMNS, GroupRow, UPSERT_BATCH, UPSERT_SINGLE, UPSERT_SINGLE_FAST, UPSERT_SINGLE_FAST_TOKEN } from '@app/modules/ingestion/domain/upsert-statements';
import { pgQuery, Statement, statement } from '@app/database/pg-query';
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

interface UpsertResult {
  rows: Map<string, GroupRow>;
  hasIntegration: boolean;
  tokenOk: boolean;
}

/**
 * Fast statements of one project and token running at once; more requests wait and share the
 * next one. Embedded PGlite has one pooled connection: a second statement would only wait for it.
 */
const singlesRunning = (server: boolean) => (server ? 2 : 1);
/** Reports in one shared fast statement. */
const SINGLES_BATCH = 100;

/**
 * Ingests reports into their groups. A single report without Idempotency-Key is one
 * statement (atomic on its own) when no Jira integration makes ticket rules apply, and
 * concurrent single reports of a project share that statement (common/coalescer.ts);
 * everything else runs in one transaction: the upsert, merges that need code, the
 * ticket rules (TicketRulesService.afterIngest) and the idempotency record.
 */
@Injectable()
export class IngestGroupsUseCase {
  private readonly upsertSingleFast: Statement;
  private readonly upsertSingleFastToken: Statement;
  private readonly upsertSingle: Statement;
  private readonly upsertBatch: Statement;
  /** Concurrent single reports of a project share the fast statement (common/coalescer.ts). */
  private readonly singles: Coalescer<{ statement: Statement; projectId: string; tokenHash?: string }, Delta, UpsertResult>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    private readonly ticketRules: TicketRulesService,
    private readonly linked: LinkedIssuesService,
    private readonly regression: RegressionService,
  ) {
    const prepared = config.databaseUrl !== undefined;
    this.singles = new Coalescer((c, deltas) => this.upsert(this.dataSource.manager, c.statement, c.projectId, deltas, c.tokenHash), {
      maxRunning: singlesRunning(prepared),
      maxBatch: SINGLES_BATCH,
      identity: (d) => d.fingerprint,
      // Down, deadlocked: every report would fail alike (and a deadlock sends each to the transaction below).
      retryAlone: (err) => !isDatabaseUnavailable(err) && !isRetryableTransactionError(err),
    });
    this.upsertSingleFast = statement('crashbridge_ingest_single_fast', UPSERT_SINGLE_FAST, prepared);
    this.upsertSingleFastToken = statement('crashbridge_ingest_single_fast_token', UPSERT_SINGLE_FAST_TOKEN, prepared);
    this.upsertSingle = statement('crashbridge_ingest_single', UPSERT_SINGLE, prepared);
    this.upsertBatch = statement('crashbridge_ingest_batch', UPSERT_BATCH, prepared);
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
    if (!req.body.batch && !req.idempotency) {
      // One statement; it writes nothing when ticket rules may apply or a limit is near.
      const statement = req.token ? this.upsertSingleFastToken : this.upsertSingleFast;
      const lane = `${req.projectId}:${req.token?.hash ?? 'admin'}`;
      let up: UpsertResult | undefined;
      try {
        up = await this.singles.submit(lane, { statement, projectId: req.projectId, tokenHash: req.token?.hash }, deltas[0]);
      } catch (err) {
        // A deadlock (with a project being deleted, say) wrote nothing: the transaction below retries.
        if (!isRetryableTransactionError(err)) throw err;
      }
      if (up && req.token) {
        if (!up.tokenOk) throw new IngestTokenRejected();
        req.token.verified = true;
      }
      if (up?.rows.has(deltas[0].fingerprint)) result = { ...this.respond(req.body, items, up.rows), replayed: false };
    }
    if (!result) {
      result = await inTransaction(this.dataSource, async (m) => {
        if (req.token) {
          const ok = await m.query(`SELECT 1 FROM projects WHERE id = $1 AND ingest_token_hash = $2`, [req.projectId, req.token.hash]);
          if (ok.length === 0) throw new IngestTokenRejected();
          req.token.verified = true;
        }
        if (req.idempotency) {
          const stored = await claimIdempotencyKey(m, req.projectId, req.idempotency.key, req.idempotency.bodyHash);
          if (stored) return { ...stored, replayed: true };
        }
        const up = await this.upsert(m, req.body.batch ? this.upsertBatch : this.upsertSingle, req.projectId, deltas);
        const regressed = await this.mergeInCode(m, req.projectId, deltas, up.rows, now);
        rulesRan = (up.hasIntegration && up.rows.size > 0) || regressed > 0;
        if (rulesRan) await this.ticketRules.afterIngest(m, req.projectId, [...up.rows.values()]);
        if (!req.body.batch) await this.ticketViews(m, up.rows);
        const response = this.respond(req.body, items, up.rows);
        if (req.idempotency) await storeIdempotentResponse(m, req.projectId, req.idempotency.key, response);
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

  private respond(body: ParsedBody, items: ParsedItem[], rows: Map<string, GroupRow>): StoredResponse {
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

  private async upsert(m: EntityManager, sql: Statement, projectId: string, deltas: Delta[], tokenHash?: string): Promise<UpsertResult> {
    const rows = new Map<string, GroupRow>();
    if (deltas.length === 0) return { rows, hasIntegration: false, tokenOk: false };
    const records = [];
    const titledAsFingerprint: string[] = [];
    const inCode: string[] = [];
    // Timestamps as text once each (Date#toJSON is most of JSON.stringify's time; reports share their times).
    const texts = new Map<number, string>();
    const iso = (t: Date) => {
      const ms = t.getTime();
      let text = texts.get(ms);
      if (text === undefined) texts.set(ms, (text = t.toISOString()));
      return text;
    };
    for (const d of deltas) {
      if (d.title === d.fingerprint) titledAsFingerprint.push(d.fingerprint);
      if (d.complex) {
        inCode.push(d.fingerprint);
        // A placeholder row; mergeInCode applies the reports one by one.
        records.push({ f: d.fingerprint, t: d.title, c: [], k: [], n: 0, a: iso(d.firstSeen), b: iso(d.lastSeen), l: null, h: {} });
      } else {
        records.push({
          f: d.fingerprint, t: d.title, c: d.callstack ?? [], k: d.classifiers ?? [], n: d.count,
          a: iso(d.firstSeen), b: iso(d.lastSeen), l: d.link, h: d.attributes,
        });
      }
    }
    const values = [projectId, JSON.stringify(records), titledAsFingerprint, inCode];
    if (tokenHash !== undefined) values.push(tokenHash);
    const result = await pgQuery<Record<string, unknown>>(m, sql, values);
    const hasIntegration = result[0]?.hasIntegration === true;
    const tokenOk = result[0]?.tokenOk === true;
    if (typeof result[0]?.groups === 'string' || result[0]?.groups === null) {
      // The batch statement: [id, fingerprint, count, ticketRef, ticketState, created] per group.
      const list = JSON.parse((result[0].groups as string | null) ?? '[]') as Array<[string, string, number, string | null, TicketState | null, boolean]>;
      for (const [id, fingerprint, count, ticketRef, ticketState, created] of list) {
        rows.set(fingerprint, { id, fingerprint, count, ticketRef, ticketState, created } as GroupRow);
      }
      return { rows, hasIntegration, tokenOk };
    }
    for (const r of result) {
      if (r.id === null) continue;
      const g: GroupRow = {
        id: r.id as string,
        fingerprint: r.fingerprint as string,
        title: r.title as string,
        count: Number(r.count),
        ticketRef: r.ticketRef as string | null,
        ticketState: r.ticketState as TicketState | null,
        created: r.created as boolean,
        callstack: r.callstack as string[],
        classifiers: r.classifiers as string[],
        firstSeen: r.firstSeen as Date,
        lastSeen: r.lastSeen as Date,
        link: r.link as string | null,
        attributes: r.attributes as AttributeHistograms,
        state: r.state as GroupState,
        assignee: r.assignee as string | null,
        resolvedUntil: r.resolvedUntil as ResolvedUntil | null,
        regressions: r.regressions as number,
        updatedAt: r.updatedAt as Date,
        ticket: r.ticket as TicketView | null,
      };
      rows.set(g.fingerprint, g);
    }
    return { rows, hasIntegration, tokenOk };
  }

  /**
   * The groups the upsert left to code (an attribute limit could be reached, or the
   * group is resolved): locked already, read, merged report by report with
   * mergeReport() (which folds and caps), written back. Each report is first checked
   * for a regression; the row lock makes the first regressing report the only one.
   * Returns how many groups regressed.
   */
  private async mergeInCode(m: EntityManager, projectId: string, deltas: Delta[], rows: Map<string, GroupRow>, now: Date): Promise<number> {
    const leftToCode = deltas.filter((d) => d.complex || !rows.has(d.fingerprint));
    if (leftToCode.length === 0) return 0;
    const stored = await pgQuery<GroupRow & { resolvedAt: Date | null }>(
      m,
      { text: `SELECT ${FULL_COLUMNS}, g.resolved_at AS "resolvedAt", g.project_id AS "projectId", g.local_changed_at AS "localChangedAt" FROM error_groups g
        WHERE g.project_id = $1 AND g.fingerprint = ANY($2::text[]) ORDER BY g.fingerprint FOR UPDATE` },
      [projectId, leftToCode.map((d) => d.fingerprint)],
    );
    const byFp = new Map(stored.map((g) => [g.fingerprint, g]));
    const merged: Array<GroupRow & { resolvedAt: Date | null; localChangedAt: Date | null }> = [];
    const log: NewActivity[] = [];
    const regressed: Array<{ group: ErrorGroupEntity; regression: Regression }> = [];
    for (const d of leftToCode) {
      const g = byFp.get(d.fingerprint) as (GroupRow & { resolvedAt: Date | null; localChangedAt: Date | null; projectId: string }) | undefined;
      if (!g) throw new Error(`group ${d.fingerprint} vanished while locked`);
      const target = { ...g, count: Number(g.count) };
      d.reports.forEach((r, index) => {
        const count = r.count ?? 1;
        const facts = { attributes: normalizeAttributes(r.attributes, count), count, lastSeen: reportTimes(r, now).lastSeen };
        const regression = this.regression.check(target as unknown as ErrorGroupEntity, facts, now, log);
        if (regression) {
          regressed.push({ group: target as unknown as ErrorGroupEntity, regression });
          target.regressedBy = index;
        }
        Object.assign(target, mergeReport(target as GroupSnapshot, r, now));
      });
      const created = rows.get(d.fingerprint)?.created ?? false;
      merged.push({ ...target, created, ticketState: g.ticketState });
    }
    const updated = await pgQuery<{ id: string; updated_at: Date }>(
      m,
      { text: `UPDATE error_groups g SET title = v.title, callstack = v.callstack, classifiers = v.classifiers, count = v.count,
              first_seen = v.first_seen, last_seen = v.last_seen, link = v.link, attributes = v.attributes,
              state = v.state, resolved_until = v.resolved_until, resolved_at = v.resolved_at, regressions = v.regressions,
              local_changed_at = v.local_changed_at, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, title text, callstack jsonb, classifiers jsonb, count bigint,
              first_seen timestamptz, last_seen timestamptz, link text, attributes jsonb, state text,
              resolved_until jsonb, resolved_at timestamptz, regressions int, local_changed_at timestamptz)
        WHERE g.id = v.id
        RETURNING g.id, g.updated_at` },
      [
        JSON.stringify(
          merged.map((g) => ({
            id: g.id, title: g.title, callstack: g.callstack, classifiers: g.classifiers, count: g.count,
            first_seen: g.firstSeen, last_seen: g.lastSeen, link: g.link, attributes: g.attributes,
            state: g.state, resolved_until: g.resolvedUntil, resolved_at: g.resolvedAt, regressions: g.regressions,
            local_changed_at: g.localChangedAt,
          })),
        ),
      ],
    );
    const stamp = new Map(updated.map((u) => [String(u.id), u.updated_at]));
    for (const g of merged) {
      g.updatedAt = new Date(stamp.get(g.id) ?? now);
      g.ticket = undefined;
      rows.set(g.fingerprint, g);
    }
    await this.regression.record(m, log, regressed);
    return regressed.length;
  }

  /** Ticket views for rows that did not come with one (merged in code). */
  private async ticketViews(m: EntityManager, rows: Map<string, GroupRow>): Promise<void> {
    const missing = [...rows.values()].filter((g) => g.ticket === undefined);
    if (missing.length === 0) return;
    const views = await this.linked.viewsFor(m, missing as unknown as ErrorGroupEntity[]);
    for (const g of missing) g.ticket = views.get(g.id) ?? null;
  }
}
