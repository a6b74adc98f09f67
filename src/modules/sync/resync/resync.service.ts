import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isRefusedData } from '@app/common/errors/database-errors';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { JiraIssueRepository } from '@app/database/repositories/jira-issue.repository';
import { JiraWebhookRepository } from '@app/database/repositories/jira-webhook.repository';
import { ActivityService } from '@app/modules/activity/activity.service';
import { isJiraError, JiraClient, JiraIssue } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { UNEXPLAINED_RESYNCS_WARNING } from '@app/modules/jira-settings/domain/jira-webhook-spec';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { inTransaction } from '@app/database/transaction';
import { ApplyJiraChangeService } from '@app/modules/sync/inbound/apply-jira-change.service';
import { ApplyJiraCommentsService } from '@app/modules/sync/inbound/apply-jira-comments.service';
import { JiraChange } from '@app/modules/sync/inbound/jira-change';
import { changeFromIssue } from '@app/modules/sync/inbound/parse-issue';

export interface ResyncReport {
  read: number;
  changed: number;
  unlinked: number;
  /** Issues read but not reconciled: unreadable, or holding a value the database refuses (activity resync.skipped). */
  skipped: number;
}

/** An issue Jira returned that could not be read as a change. */
interface Unreadable {
  issueKey: string;
  reason: string;
}

const CHUNK = 50;
/** Look back a little further than the last run, for clock skew between us and Jira. */
const OVERLAP_MINUTES = 2;
const FIELDS = ['status', 'resolution', 'assignee', 'fixVersions', 'updated', 'summary'];

/**
 * Reconciliation: reads the project's linked issues updated since the last run
 * (by JQL, in chunks of ids) and applies each exactly as a webhook would, so
 * missed webhooks converge. Issues Jira no longer has are unlinked. An issue that
 * cannot be reconciled (no readable `updated`, or a value the database refuses) is
 * skipped with an activity entry, so it never stops the others, run after run.
 */
@Injectable()
export class ResyncService {
  private readonly logger = new Logger('Resync');

  constructor(
    private readonly dataSource: DataSource,
    private readonly issues: JiraIssueRepository,
    private readonly integrationRows: JiraIntegrationRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly applier: ApplyJiraChangeService,
    private readonly activity: ActivityService,
    private readonly webhooks: JiraWebhookRepository,
    private readonly comments: ApplyJiraCommentsService,
  ) {}

  async run(projectId: string): Promise<ResyncReport> {
    const integration = await this.integrations.find(projectId);
    const report: ResyncReport = { read: 0, changed: 0, unlinked: 0, skipped: 0 };
    if (!integration?.settings.enabled) return report;
    const startedAt = new Date();
    const client = integrationClient(this.clients, integration);
    const rows = await this.issues.listLinked(projectId);
    const since = integration.lastResyncAt ? Math.ceil((Date.now() - integration.lastResyncAt.getTime()) / 60_000) + OVERLAP_MINUTES : undefined;
    const skip = async (u: Unreadable) => {
      report.skipped++;
      await this.activity.record(this.dataSource.manager, {
        projectId, kind: 'resync.skipped', source: 'resync', detail: `Jira issue ${u.issueKey} was not reconciled: ${u.reason}`,
      });
    };
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const { changes, unreadable } = await this.readChunk(client, chunk, since);
      report.read += unreadable.length;
      for (const u of unreadable) await skip(u);
      for (const change of changes) {
        report.read += change.kind === 'deleted' ? 0 : 1;
        try {
          // Comments no webhook brought (or edits and deletes it missed): the issue's list as Jira has it now, read before
          // the transaction (no network wait under locks) and applied in it after the change, under the issue's lock, as
          // the webhook job applies them (one lock order, so the two never deadlock). Not counted as changes: the report
          // (and the missed-webhook warning) is about the groups' state and assignee.
          const listed = change.kind !== 'deleted' && integration.settings.comments.inbound ? await client.getComments(change.issueId) : null;
          const outcome = await inTransaction(this.dataSource, async (m) => {
            const applied = await this.applier.apply(m, projectId, change, integration.settings, 'resync');
            if (listed) await this.comments.reconcile(m, projectId, change.issueId, listed, integration.settings);
            return applied;
          });
          if (outcome === 'applied') report.changed++;
          if (outcome === 'deleted') report.unlinked++;
        } catch (err) {
          if (!isRefusedData(err)) throw err;
          await skip({ issueKey: change.issueKey ?? change.issueId, reason: `the database refused it (${(err as Error).message})` });
        }
      }
    }
    await this.integrationRows.markResynced(projectId, startedAt);
    await this.countUnexplained(projectId, integration.lastResyncAt, report);
    await this.activity.record(this.dataSource.manager, {
      projectId, kind: 'resync.completed', source: 'resync',
      detail:
        `Reconciliation read ${report.read} issue(s), changed ${report.changed} group update(s), unlinked ${report.unlinked} deleted issue(s)` +
        (report.skipped > 0 ? `, skipped ${report.skipped} (see resync.skipped)` : ''),
      data: { ...report },
    });
    this.logger.log({ msg: 'resync completed', projectId, ...report });
    return report;
  }

  /**
   * Changes found while no webhook arrived since the previous run: the webhook is missing or misconfigured once
   * that happens run after run (shown as the webhook's health warning).
   */
  private async countUnexplained(projectId: string, previousRun: Date | null, report: ResyncReport): Promise<void> {
    const streak = await this.webhooks.recordResync(projectId, previousRun, report.changed);
    if (streak === UNEXPLAINED_RESYNCS_WARNING) {
      this.logger.warn({ msg: 'reconciliation keeps finding changes no webhook brought: the Jira webhook is missing or misconfigured', projectId, runs: streak });
    }
  }

  /** One JQL search per chunk; when Jira refuses it (an id no longer exists) each issue is read alone. */
  private async readChunk(
    client: JiraClient,
    chunk: Array<{ issue_id: string; issue_key: string }>,
    sinceMinutes?: number,
  ): Promise<{ changes: JiraChange[]; unreadable: Unreadable[] }> {
    const jql = `id in (${chunk.map((r) => r.issue_id).join(', ')})${sinceMinutes ? ` AND updated >= -${sinceMinutes}m` : ''} ORDER BY updated ASC`;
    let rest = chunk;
    const out = { changes: [] as JiraChange[], unreadable: [] as Unreadable[] };
    const read = (issue: JiraIssue) => {
      try {
        out.changes.push(changeFromIssue(issue));
      } catch (err) {
        out.unreadable.push({ issueKey: String(issue.key), reason: (err as Error).message });
      }
    };
    try {
      const issues = await client.searchJql(jql, { fields: FIELDS });
      issues.forEach(read);
      if (sinceMinutes) return out;
      // Unfiltered, every linked issue should be there; one that is not may be gone (not every Jira refuses the
      // query for an id that no longer exists): read it alone.
      const found = new Set(issues.map((issue) => String(issue.id)));
      rest = chunk.filter((r) => !found.has(r.issue_id));
    } catch (err) {
      if (!isJiraError(err, 'bad_request')) throw err;
    }
    for (const r of rest) {
      const issue: JiraIssue | null = await client.getIssue(r.issue_id, FIELDS);
      if (issue) read(issue);
      else out.changes.push({ kind: 'deleted', issueId: r.issue_id, issueKey: r.issue_key, timestamp: Date.now(), changedFields: [] });
    }
    return out;
  }
}
