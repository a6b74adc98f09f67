import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { JiraIssueRepository } from '@app/database/repositories/jira-issue.repository';
import { JiraRunRepository, JiraRunRow } from '@app/database/repositories/jira-run.repository';
import { inTransaction } from '@app/database/transaction';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { OutboxService } from '@app/queue/outbox.service';
import { ActivityService } from '@app/modules/activity/activity.service';
import { JiraClient, JiraIssue } from '@app/modules/jira/client';
import { JiraIntegration } from '@app/modules/jira-settings/jira-settings';
import { RunJobRunner } from '@app/modules/tickets/backfill/run-job';
import { queueBacklink } from '@app/modules/tickets/linking/backlink';
import { LinkedIssuesService, snapshotOf } from '@app/modules/tickets/linking/linked-issues.service';
import { fingerprintReader, ImportMatch } from './fingerprint-match';

type Outcome = 'done' | 'failed' | 'skipped';

/** How many issues between looks at whether the import was cancelled. */
const CANCEL_CHECK_EVERY = 50;

/**
 * Pages through the import's JQL and links each issue to the group its fingerprint names. Never unlinks: a group
 * that has another issue is skipped. A retry reads the JQL again from the start; links already made are found
 * as they are, so nothing is linked twice.
 */
@Injectable()
@JobHandler('jira.import')
export class ImportJob implements HandlesJob<'jira.import'> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: JiraRunRepository,
    private readonly groups: GroupQueryRepository,
    private readonly issues: JiraIssueRepository,
    private readonly linked: LinkedIssuesService,
    private readonly activity: ActivityService,
    private readonly outbox: OutboxService,
    private readonly runner: RunJobRunner,
  ) {}

  handle = (payload: JobPayloads['jira.import'], ctx: JobContext): Promise<void> =>
    this.runner.run(payload.runId, ctx, async (run, integration, client) => {
      const params = run.params as { jql: string; match: ImportMatch };
      const reader = fingerprintReader(params.match);
      await this.runs.resetCounts(run.id);
      let seen = 0;
      for await (const issue of client.iterateJql(params.jql, { fields: ['summary', 'status', reader.field], pageSize: 100 })) {
        if (++seen % CANCEL_CHECK_EVERY === 0 && (await this.runs.findById(run.id))?.status !== 'running') return 'cancelled';
        await this.linkOne(run, integration, client, issue, reader.read(issue));
      }
      return 'done';
    });

  private async linkOne(run: JiraRunRow, integration: JiraIntegration, client: JiraClient, issue: JiraIssue, fingerprint: string | null): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      const outcome = await this.decide(m, run, integration, client, issue, fingerprint);
      await this.runs.addCounts(m, run.id, { total: 1, [outcome]: 1 });
    });
  }

  private async decide(
    m: EntityManager, run: JiraRunRow, integration: JiraIntegration, client: JiraClient, issue: JiraIssue, fingerprint: string | null,
  ): Promise<Outcome> {
    const group = fingerprint ? await this.groups.findByFingerprint(run.projectId, fingerprint, m, true) : null;
    if (!group) return 'failed';
    if (group.ticketRef) {
      const current = (await this.issues.findByIds(m, [group.ticketRef]))[0];
      const same = current?.issueId === String(issue.id);
      return same && (await this.runs.hasGroup(m, run.id, group.id)) ? 'done' : 'skipped';
    }
    await this.linked.link(m, run.projectId, group.id, snapshotOf(issue, client.browseUrl(issue.key)), null);
    await this.runs.noteGroup(m, run.id, group.id);
    await this.activity.record(m, {
      projectId: run.projectId, fingerprint: group.fingerprint, kind: 'ticket.linked', source: 'worker',
      detail: `Linked to existing Jira issue ${issue.key} (import)`, data: { key: issue.key, id: String(issue.id), import: run.id },
    });
    await queueBacklink(m, this.outbox, integration.settings, run.projectId, group.id, issue.key);
    return 'done';
  }
}
