import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivityService } from '../../activity/activity.service';
import { isJiraError, JiraClient, JiraIssue } from '../../jira/client';
import { JiraClientFactory } from '../../jira/jira-client.factory';
import { connectionOf, JiraIntegrationService } from '../../settings/jira-integration.service';
import { ApplyJiraChangeService } from '../inbound/apply-jira-change.service';
import { JiraChange } from '../inbound/jira-change';
import { changeFromIssue } from '../inbound/parse-issue';

export interface ResyncReport {
  read: number;
  changed: number;
  unlinked: number;
}

const CHUNK = 50;
/** Look back a little further than the last run, for clock skew between us and Jira. */
const OVERLAP_MINUTES = 2;
const FIELDS = ['status', 'assignee', 'fixVersions', 'updated', 'summary'];

/**
 * Reconciliation: reads the project's linked issues updated since the last run
 * (by JQL, in chunks of ids) and applies each exactly as a webhook would, so
 * missed webhooks converge. Issues Jira no longer has are unlinked.
 */
@Injectable()
export class ResyncService {
  private readonly logger = new Logger('Resync');

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly applier: ApplyJiraChangeService,
    private readonly activity: ActivityService,
  ) {}

  async run(projectId: string): Promise<ResyncReport> {
    const integration = await this.integrations.find(projectId);
    const report: ResyncReport = { read: 0, changed: 0, unlinked: 0 };
    if (!integration?.settings.enabled) return report;
    const startedAt = new Date();
    const client = this.clients.forIntegration(integration, () => connectionOf(integration.settings, integration.secret, integration.flavour));
    const rows: Array<{ issue_id: string; issue_key: string }> = await this.dataSource.query(
      `SELECT DISTINCT i.issue_id, i.issue_key FROM jira_issues i JOIN error_groups g ON g.ticket_ref = i.id WHERE i.project_id = $1 ORDER BY i.issue_id`,
      [projectId],
    );
    const since = integration.lastResyncAt ? Math.ceil((Date.now() - integration.lastResyncAt.getTime()) / 60_000) + OVERLAP_MINUTES : undefined;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      for (const change of await this.readChunk(client, chunk, since)) {
        report.read += change.kind === 'deleted' ? 0 : 1;
        const outcome = await this.dataSource.transaction((m) => this.applier.apply(m, projectId, change, integration.settings, 'resync'));
        if (outcome === 'applied') report.changed++;
        if (outcome === 'deleted') report.unlinked++;
      }
    }
    await this.dataSource.query(`UPDATE jira_integrations SET last_resync_at = $2 WHERE project_id = $1`, [projectId, startedAt]);
    await this.activity.record(this.dataSource.manager, {
      projectId, kind: 'resync.completed', source: 'resync',
      detail: `Reconciliation read ${report.read} issue(s), changed ${report.changed} group update(s), unlinked ${report.unlinked} deleted issue(s)`,
      data: { ...report },
    });
    this.logger.log({ msg: 'resync completed', projectId, ...report });
    return report;
  }

  /** One JQL search per chunk; when Jira refuses it (an id no longer exists) each issue is read alone. */
  private async readChunk(client: JiraClient, chunk: Array<{ issue_id: string; issue_key: string }>, sinceMinutes?: number): Promise<JiraChange[]> {
    const jql = `id in (${chunk.map((r) => r.issue_id).join(', ')})${sinceMinutes ? ` AND updated >= -${sinceMinutes}m` : ''} ORDER BY updated ASC`;
    let rest = chunk;
    const out: JiraChange[] = [];
    try {
      const issues = await client.searchJql(jql, { fields: FIELDS });
      out.push(...issues.map((issue) => changeFromIssue(issue)));
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
      out.push(issue ? changeFromIssue(issue) : { kind: 'deleted', issueId: r.issue_id, issueKey: r.issue_key, timestamp: Date.now(), changedFields: [] });
    }
    return out;
  }
}
