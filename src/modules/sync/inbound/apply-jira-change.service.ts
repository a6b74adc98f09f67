import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorGroupEntity, JiraIssueEntity } from '../../../database/entities';
import { ActivitySource } from '../../../database/entities';
import { ActivityService, NewActivity } from '../../activity/activity.service';
import { StoredJiraSettings } from '../../settings/jira-settings';
import { setGroupState } from '../mapping/group-state';
import { stateForStatus } from '../mapping/state-mapping';
import { userForJiraPerson } from '../mapping/user-mapping';
import { JiraChange } from './jira-change';

export type ApplyOutcome = 'applied' | 'unchanged' | 'stale' | 'unlinked' | 'deleted';

/**
 * Applies one Jira change (from a webhook or a resync read) to the linked issue's
 * snapshot and its groups. The issue row is locked, so events for one issue apply
 * one at a time; an event older than the last applied one is ignored, and a group
 * changed here after the event keeps its own value (the outbound sync pushes it).
 * Changes applied here are never sent back to Jira: only a person's change here
 * queues an outbound job.
 */
@Injectable()
export class ApplyJiraChangeService {
  constructor(private readonly activity: ActivityService) {}

  async apply(m: EntityManager, projectId: string, change: JiraChange, settings: StoredJiraSettings | null, source: ActivitySource): Promise<ApplyOutcome> {
    const issue = await m
      .getRepository(JiraIssueEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.project_id = :projectId AND i.issue_id = :issueId', { projectId, issueId: change.issueId })
      .getOne();
    if (!issue) return 'unlinked';
    const groups = await m
      .getRepository(ErrorGroupEntity)
      .createQueryBuilder('g')
      .setLock('pessimistic_write')
      .where('g.ticket_ref = :ref', { ref: issue.id })
      .orderBy('g.id')
      .getMany();
    const log: NewActivity[] = [];
    const note = (g: ErrorGroupEntity, kind: string, detail: string) => log.push({ projectId, fingerprint: g.fingerprint, kind, source, detail });

    if (change.kind === 'deleted') {
      await m.query(`UPDATE error_groups SET ticket_ref = NULL, ticket_state = NULL WHERE ticket_ref = $1`, [issue.id]);
      await m.query(`DELETE FROM jira_issues WHERE id = $1`, [issue.id]);
      for (const g of groups) note(g, 'ticket.deleted', `Jira issue ${issue.issueKey} was deleted; the link was removed`);
      await this.activity.recordMany(m, log);
      return 'deleted';
    }
    const at = new Date(change.timestamp);
    if (issue.lastEventAt && at < issue.lastEventAt) return 'stale';

    this.updateSnapshot(issue, change, at);
    await m.getRepository(JiraIssueEntity).save(issue);
    if (change.previousKey || change.changedFields.includes('key')) {
      for (const g of groups) note(g, 'ticket.moved', `Jira issue moved to ${issue.issueKey}`);
    }

    let changed = false;
    if (settings?.enabled && settings.sync.inbound) {
      for (const g of groups) {
        if (g.localChangedAt && g.localChangedAt > at) continue; // changed here later: ours wins, outbound pushes it
        changed = this.applyToGroup(g, change, settings, (kind, detail) => note(g, kind, detail)) || changed;
      }
      if (changed) await m.getRepository(ErrorGroupEntity).save(groups);
    }
    await this.activity.recordMany(m, log);
    return changed ? 'applied' : 'unchanged';
  }

  private updateSnapshot(issue: JiraIssueEntity, change: JiraChange, at: Date): void {
    if (change.issueKey && change.issueKey !== issue.issueKey) {
      issue.url = issue.url.replace(/[^/]+$/, change.issueKey);
      issue.issueKey = change.issueKey;
    }
    if (change.status) {
      issue.status = change.status.name;
      issue.statusCategory = change.status.category ?? issue.statusCategory;
    }
    if (change.assignee !== undefined) issue.assignee = change.assignee;
    if (change.fixVersions) issue.fixVersions = change.fixVersions;
    issue.lastEventAt = at;
  }

  private applyToGroup(g: ErrorGroupEntity, change: JiraChange, settings: StoredJiraSettings, note: (kind: string, detail: string) => void): boolean {
    let changed = false;
    if (change.status) {
      const state = stateForStatus(change.status, settings.statusMapping);
      if (!state) {
        note('state.unmapped', `Jira status '${change.status.name}' maps to no state; the group keeps '${g.state}'`);
      } else if (g.state !== state) {
        note('state.changed', `State changed from ${g.state} to ${state} (Jira status '${change.status.name}')`);
        setGroupState(g, state);
        changed = true;
      }
    }
    if (change.assignee !== undefined) {
      const mapped = change.assignee ? userForJiraPerson(change.assignee, settings.userMapping, settings.autoMapUsersByEmail) : null;
      const user = mapped?.user ?? null;
      if (user !== g.assignee) {
        note('assignee.changed', user ? `Assigned to ${user} in Jira` : 'Unassigned in Jira');
        g.assignee = user;
        changed = true;
      }
      if (mapped && !mapped.mapped) note('assignee.unmapped', `Jira user '${mapped.user}' is not mapped to a user here; add them under User mapping`);
    }
    return changed;
  }
}
