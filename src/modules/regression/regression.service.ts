import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttributeHistograms, ErrorGroupEntity } from '@app/database/entities';
import { NewJob } from '@app/queue/job-types';
import { OutboxService } from '@app/queue/outbox.service';
import { ActivityService, NewActivity } from '@app/modules/activity/activity.service';
import { detectRegression, Regression } from './detect-regression';

export interface ReportFacts {
  attributes: AttributeHistograms;
  count: number;
  lastSeen: Date;
}

/**
 * Regression handling inside the ingestion transaction. The group row is locked
 * there, so of many concurrent reports of a regressing version only the first
 * sees the group resolved: one regression, one reopen, one comment.
 */
@Injectable()
export class RegressionService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly activity: ActivityService,
  ) {}

  /** Checks one report against the group and reopens it (in memory) when it regresses. */
  check(g: ErrorGroupEntity, report: ReportFacts, now: Date, log: NewActivity[]): Regression | null {
    const { regression, notice } = detectRegression(g, report);
    if (notice) log.push({ projectId: g.projectId, fingerprint: g.fingerprint, kind: 'regression.unchecked', source: 'ingest', detail: notice });
    if (!regression) return null;
    g.state = 'open';
    g.resolvedUntil = null;
    g.resolvedAt = null;
    g.regressions += 1;
    g.localChangedAt = now; // older Jira events must not resolve it again
    const what = regression.version
      ? `version ${regression.version} is at or above resolved-until ${regression.resolvedUntil}`
      : 'a report arrived after the group was resolved';
    log.push({
      projectId: g.projectId, fingerprint: g.fingerprint, kind: 'regression', source: 'ingest',
      detail: `Regression #${g.regressions}: ${what} (${regression.count} occurrence(s)); the group is open again`,
      data: { ...regression, regressions: g.regressions },
    });
    return regression;
  }

  /** Writes the activity entries and queues the Jira reopen/comment for each regressed group with a ticket. */
  async record(m: EntityManager, log: NewActivity[], regressed: Array<{ group: ErrorGroupEntity; regression: Regression }>): Promise<void> {
    await this.activity.recordMany(m, log);
    const jobs: NewJob[] = regressed
      .filter((r) => r.group.ticketRef)
      .map(({ group, regression }) => ({
        kind: 'jira.regression',
        projectId: group.projectId,
        payload: { groupId: group.id, regressionNo: group.regressions, version: regression.version ?? null, count: regression.count, resolvedUntil: regression.resolvedUntil ?? null },
        dedupeKey: `jira.regression:${group.id}:${group.regressions}`,
      }));
    await this.outbox.enqueueMany(m, jobs);
  }
}
