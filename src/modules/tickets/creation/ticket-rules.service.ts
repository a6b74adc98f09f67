import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { GroupOccurrenceRepository } from '@app/database/repositories/group-occurrence.repository';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { GroupRow, RuleGroup, SubjectGroup } from '@app/database/repositories/group.rows';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { NewJob } from '@app/queue/job-types';
import { OutboxService } from '@app/queue/outbox.service';
import { ActivityService } from '@app/modules/activity/activity.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { CreateRules, settingsWithDefaults } from '@app/modules/jira-settings/jira-settings';
import { awaitsTicket, regressedWithoutTicket, RuleCandidate, ticketDue, whenHolds } from './create-rules';
import { ticketCreateDedupeKey } from './ticket-job-key';

/**
 * A group an ingest wrote: the columns the rules read, the ones `when` reads when the upsert returned them
 * (the batch statement does not), and the index of the report that regressed it, if one did.
 */
export type IngestedGroup = RuleGroup & Partial<Pick<GroupRow, 'title' | 'classifiers' | 'attributes'>> & { regressedBy?: number };

/** Expired occurrence buckets a sweep deletes at most: once a minute per process, once a second while it finds a full batch. */
const SWEEP_LIMIT = 1_000;
const SWEEP_EVERY_MS = 60_000;
const SWEEP_BEHIND_MS = 1_000;

/**
 * createRules (docs/behaviour.md, "Creation rules"): a group without a ticket gets one automatically once it has
 * been reported `minCount` times and, with a `threshold`, `count` times within the last `withinMinutes`; with
 * `onRegression`, a regressed group without a ticket gets one at once. Either way only when every `when` row
 * holds for the group as stored after the report, and at most `maxTicketsPerHour` per project. Groups over the
 * hourly limit are marked skipped with an activity entry (a person can still create their ticket); they are not
 * queued for later, so a flood of new groups never turns into a flood of issues. Groups that do not qualify yet
 * are looked at again with their next report.
 */
@Injectable()
export class TicketRulesService {
  private nextSweep = 0;

  constructor(
    private readonly integrations: JiraIntegrationService,
    private readonly outbox: OutboxService,
    private readonly outboxRows: OutboxRepository,
    private readonly activity: ActivityService,
    private readonly groups: GroupRepository,
    private readonly groupReads: GroupQueryRepository,
    private readonly occurrences: GroupOccurrenceRepository,
  ) {}

  /**
   * Runs inside the ingestion transaction, which holds the groups' row locks, so the ticket job commits with the
   * group and concurrent reports of one group are looked at one after the other. `reported`: the occurrences this
   * request added, by fingerprint.
   */
  async afterIngest(m: EntityManager, projectId: string, groups: IngestedGroup[], reported: Map<string, number>): Promise<void> {
    const candidates = groups.filter((g) => awaitsTicket(g) || regressedWithoutTicket(asCandidate(g)));
    if (candidates.length === 0) return;
    // Settings and, with a threshold, the occurrence buckets: one statement.
    const counted = candidates.filter(awaitsTicket).map((g) => ({ groupId: g.id, count: reported.get(g.fingerprint) ?? 0 }));
    const { settings: stored, recent } = await this.occurrences.ruleInputs(m, projectId, counted);
    await this.sweepExpired(m);
    if (!stored) return;
    const settings = settingsWithDefaults(stored);
    if (!settings.enabled) return;
    const rules = settings.createRules;
    const byCounts = candidates.filter((g) => ticketDue(asCandidate(g), rules, recent.get(g.id) ?? 0));
    const due = await this.whereWhenHolds(m, byCounts, rules, settings.fixVersionSync.versionAttribute);
    if (due.length === 0) return;

    // Locked: concurrent ingests of one project take the hourly budget in turn, not both at once.
    const locked = await this.integrations.findSettings(projectId, m, true);
    if (!locked) return;
    const maxPerHour = locked.createRules.maxTicketsPerHour;
    const n = await this.outboxRows.countAutoTicketJobsLastHour(m, projectId);
    const budget = Math.max(0, maxPerHour - n);
    const queued = due.slice(0, budget);
    const skipped = due.slice(budget);

    const jobs: NewJob[] = queued.map((g) => ({ kind: 'ticket.create', projectId, payload: { groupId: g.id, auto: true }, dedupeKey: ticketCreateDedupeKey(g.id) }));
    await this.outbox.enqueueMany(m, jobs);
    await this.setState(m, queued, 'pending');
    await this.setState(m, skipped, 'skipped');
    // Their buckets are of no further use: a group that has a ticket state is not counted.
    if (recent.size > 0) await this.occurrences.forget(m, due.map((g) => g.id));
    await this.activity.recordMany(
      m,
      skipped.map((g) => ({
        projectId,
        fingerprint: g.fingerprint,
        kind: 'ticket.skipped',
        source: 'ingest' as const,
        detail: `No ticket created automatically: the limit of ${maxPerHour} tickets per hour was reached; create it with "Create ticket"`,
      })),
    );
  }

  /** The groups whose `when` rows hold, read from the rows the upsert returned, or loaded for those it returned without. */
  private async whereWhenHolds(m: EntityManager, groups: IngestedGroup[], rules: CreateRules, versionAttribute: string): Promise<IngestedGroup[]> {
    if (rules.when.length === 0 || groups.length === 0) return groups;
    const missing = groups.filter((g) => g.attributes === undefined || g.title === undefined || g.classifiers === undefined);
    const loaded = new Map<string, SubjectGroup>((await this.groupReads.conditionSubjects(m, missing.map((g) => g.id))).map((s) => [String(s.id), s]));
    return groups.filter((g) => {
      const s = loaded.get(g.id) ?? g;
      return whenHolds(rules, { title: s.title ?? '', fingerprint: s.fingerprint, classifiers: s.classifiers ?? [], attributes: s.attributes ?? {} }, versionAttribute);
    });
  }

  /** Occurrence buckets past the longest window, SWEEP_LIMIT at a time. */
  private async sweepExpired(m: EntityManager): Promise<void> {
    const now = Date.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    const deleted = await this.occurrences.pruneExpired(m, SWEEP_LIMIT);
    if (deleted === SWEEP_LIMIT) this.nextSweep = now + SWEEP_BEHIND_MS;
  }

  private async setState(m: EntityManager, groups: RuleGroup[], state: 'pending' | 'skipped'): Promise<void> {
    if (groups.length === 0) return;
    await this.groups.setTicketState(m, groups.map((g) => g.id), state);
    for (const g of groups) g.ticketState = state;
  }
}

const asCandidate = (g: IngestedGroup): RuleCandidate => ({ ticketRef: g.ticketRef, ticketState: g.ticketState, count: Number(g.count), regressed: g.regressedBy !== undefined });
