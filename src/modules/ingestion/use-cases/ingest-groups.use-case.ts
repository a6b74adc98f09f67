import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MetricsService } from '../../../common/metrics/metrics.service';
import { inTransaction } from '../../../database/transaction';
import { ErrorGroupEntity } from '../../../database/entities';
import { OutboxService } from '../../../queue/outbox.service';
import { NewJob } from '../../../queue/job-types';
import { claimIdempotencyKey, StoredResponse, storeIdempotentResponse } from '../domain/idempotency';
import { GroupSnapshot, mergeReport, reportTimes } from '../domain/merge-report';
import { ParsedBody, ParsedItem } from '../domain/parse-ingest-body';
import { BatchItemResultDto } from '../dto/ingest-group.dto';
import { GroupResponseDto } from '../dto/group-response.dto';
import { IngestGroupDto } from '../dto/ingest-group.dto';
import { badRequest } from '../../../common/errors/domain-error';
import { LinkedIssuesService, TicketView } from '../../tickets/linking/linked-issues.service';
import { TicketRulesService } from '../../tickets/creation/ticket-rules.service';

export interface IngestRequest {
  projectId: string;
  body: ParsedBody;
  idempotency?: { key: string; bodyHash: string };
}

export interface IngestResult extends StoredResponse {
  replayed: boolean;
}

interface Outcome {
  group: ErrorGroupEntity;
  created: boolean;
}

/**
 * Upserts reports into their groups in one transaction. Rows are created (if
 * new) and then locked in fingerprint order, merged in memory and written back in
 * one statement, so concurrent reports of the same fingerprint never lose counts
 * and batches with overlapping fingerprints do not deadlock each other.
 */
@Injectable()
export class IngestGroupsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    private readonly ticketRules: TicketRulesService,
    private readonly linked: LinkedIssuesService,
  ) {}

  async execute(req: IngestRequest): Promise<IngestResult> {
    const items: ParsedItem[] = req.body.batch ? req.body.items : [req.body.item];
    if (!req.body.batch && !req.body.item.ok) {
      throw badRequest('INVALID_GROUP', req.body.item.errors.join('; '));
    }
    const result = await inTransaction(this.dataSource, async (m) => {
      if (req.idempotency) {
        const stored = await claimIdempotencyKey(m, req.projectId, req.idempotency.key, req.idempotency.bodyHash);
        if (stored) return { ...stored, replayed: true };
      }
      const reports = items.flatMap((i) => (i.ok ? [i.report] : []));
      const outcomes = await this.upsert(m, req.projectId, reports);
      const groups = [...outcomes.values()].map((o) => o.group);
      await this.ticketRules.afterIngest(m, req.projectId, groups);
      const tickets = req.body.batch ? new Map<string, TicketView>() : await this.linked.viewsFor(m, groups);
      const response = this.respond(req.body, items, outcomes, tickets);
      if (req.idempotency) await storeIdempotentResponse(m, req.projectId, req.idempotency.key, response);
      return { ...response, replayed: false };
    });
    if (!result.replayed) {
      this.outbox.kick();
      for (const i of items) this.metrics.ingestedGroups.inc({ result: i.ok ? 'accepted' : 'rejected' });
    }
    return result;
  }

  private respond(body: ParsedBody, items: ParsedItem[], outcomes: Map<string, Outcome>, tickets: Map<string, TicketView>): StoredResponse {
    if (!body.batch) {
      const o = outcomes.get((items[0] as { report: IngestGroupDto }).report.fingerprint)!;
      return { statusCode: o.created ? 201 : 200, body: GroupResponseDto.from(o.group, tickets.get(o.group.id) ?? null) };
    }
    const seen = new Set<string>();
    const results: BatchItemResultDto[] = items.map((i) => {
      if (!i.ok) return { fingerprint: i.fingerprint, status: 'error', error: i.errors.join('; ') };
      const fp = i.report.fingerprint;
      // A fingerprint repeated within one batch is "created" only the first time.
      const created = outcomes.get(fp)!.created && !seen.has(fp);
      seen.add(fp);
      return { fingerprint: fp, status: created ? 'created' : 'updated' };
    });
    return { statusCode: 200, body: { results } };
  }

  private async upsert(m: EntityManager, projectId: string, reports: IngestGroupDto[]): Promise<Map<string, Outcome>> {
    const outcomes = new Map<string, Outcome>();
    if (reports.length === 0) return outcomes;
    const now = new Date();
    const firstByFp = new Map<string, IngestGroupDto>();
    for (const r of reports) if (!firstByFp.has(r.fingerprint)) firstByFp.set(r.fingerprint, r);
    const fingerprints = [...firstByFp.keys()].sort();

    const placeholders = fingerprints.map((fp) => {
      const r = firstByFp.get(fp)!;
      const t = reportTimes(r, now);
      return { fingerprint: fp, title: r.title || fp, first_seen: t.firstSeen, last_seen: t.lastSeen };
    });
    const inserted: Array<{ fingerprint: string }> = await m.query(
      `INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen)
       SELECT $1, r.fingerprint, r.title, r.first_seen, r.last_seen
         FROM jsonb_to_recordset($2::jsonb) AS r(fingerprint text, title text, first_seen timestamptz, last_seen timestamptz)
        ORDER BY r.fingerprint
       ON CONFLICT (project_id, fingerprint) DO NOTHING
       RETURNING fingerprint`,
      [projectId, JSON.stringify(placeholders)],
    );
    const created = new Set(inserted.map((r) => r.fingerprint));

    const rows = await m
      .getRepository(ErrorGroupEntity)
      .createQueryBuilder('g')
      .setLock('pessimistic_write')
      .where('g.project_id = :projectId AND g.fingerprint = ANY(:fps)', { projectId, fps: fingerprints })
      .orderBy('g.fingerprint')
      .getMany();
    const byFp = new Map(rows.map((g) => [g.fingerprint, g]));

    for (const r of reports) {
      const g = byFp.get(r.fingerprint)!;
      Object.assign(g, mergeReport(g as GroupSnapshot, r, now));
    }
    const updated: Array<{ id: string; updated_at: Date }> = await m.query(
      `UPDATE error_groups g SET title = v.title, callstack = v.callstack, classifiers = v.classifiers, count = v.count,
              first_seen = v.first_seen, last_seen = v.last_seen, link = v.link, attributes = v.attributes,
              state = v.state, resolved_until = v.resolved_until, resolved_at = v.resolved_at,
              regressions = v.regressions, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, title text, callstack jsonb, classifiers jsonb, count bigint,
              first_seen timestamptz, last_seen timestamptz, link text, attributes jsonb, state text,
              resolved_until jsonb, resolved_at timestamptz, regressions int)
        WHERE g.id = v.id
        RETURNING g.id, g.updated_at`,
      [JSON.stringify(rows.map(toRecord))],
    );
    const stamp = new Map((Array.isArray(updated[0]) ? (updated[0] as unknown as typeof updated) : updated).map((u) => [String(u.id), u.updated_at]));
    for (const g of rows) {
      g.updatedAt = new Date(stamp.get(g.id) ?? now);
      outcomes.set(g.fingerprint, { group: g, created: created.has(g.fingerprint) });
    }

    const jobs: NewJob[] = rows
      .filter((g) => created.has(g.fingerprint))
      .map((g) => ({ kind: 'group.created', projectId, payload: { groupId: g.id, fingerprint: g.fingerprint }, dedupeKey: `group.created:${g.id}` }));
    await this.outbox.enqueueMany(m, jobs);
    return outcomes;
  }
}

function toRecord(g: ErrorGroupEntity) {
  return {
    id: g.id,
    title: g.title,
    callstack: g.callstack,
    classifiers: g.classifiers,
    count: g.count,
    first_seen: g.firstSeen,
    last_seen: g.lastSeen,
    link: g.link,
    attributes: g.attributes,
    state: g.state,
    resolved_until: g.resolvedUntil,
    resolved_at: g.resolvedAt,
    regressions: g.regressions,
  };
}
