import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { EntityManager } from 'typeorm';
import { ActivitySource, ErrorGroupEntity } from '@app/database/entities';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { LinkedGroup } from '@app/database/repositories/group.rows';
import { LockedIssue } from '@app/database/repositories/jira-issue.rows';
import { LockedIssues } from '@app/database/repositories/locked-issues';
import { NewActivity } from '@app/modules/activity/activity.service';
import { StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';
import { resolvedUntilFromFixVersions } from '@app/modules/sync/mapping/fix-version-resolution';
import { setGroupState } from '@app/modules/sync/mapping/group-state';
import { stateForStatus } from '@app/modules/sync/mapping/state-mapping';
import { userForJiraPerson } from '@app/modules/sync/mapping/user-mapping';
import type { JiraUserRef } from '@app/modules/jira/client/jira-types';
import { JiraChange } from './jira-change';

export type ApplyOutcome = 'applied' | 'unchanged' | 'stale' | 'unlinked' | 'deleted';

/** What we last knew of an issue before a change: the base of the per-field three-way merge. */
interface IssueBase {
  status?: { name: string; category?: string };
  assignee: JiraUserRef | null;
  /** false until a first Jira change was applied: the snapshot is then the one taken when the issue was linked */
  synced: boolean;
  /** when that link snapshot was taken */
  linkedAt: Date | null;
}

/** The stored fields of a snapshot, comparable (jsonb compares regardless of key order, as isDeepStrictEqual does). */
const snapshotOf = (i: LockedIssue) => ({ ...i, lastEventAt: i.lastEventAt?.getTime() ?? null });

/** One locked issue while changes are applied to it in memory. */
interface IssueWork {
  issue: LockedIssue;
  groups: LinkedGroup[];
  changed: boolean;
  deleted: boolean;
}

/**
 * Applies one Jira change (from a webhook or a resync read) to the linked issue's
 * snapshot and its groups. The issue row is locked, so events for one issue apply
 * one at a time; an event older than the last applied one is ignored.
 *
 * Each field (state, assignee) merges three ways against the snapshot (what we last
 * knew of Jira, including our own pushes): a field Jira did not change leaves the
 * group alone (so the echo of our own update, or an event about another field,
 * never undoes a newer change made here); a field only Jira changed is taken; a
 * field changed on both sides goes to the later change (a group changed here after
 * the event keeps its value, and the outbound sync pushes it).
 * Changes applied here are never sent back to Jira: only a person's change here
 * queues an outbound job.
 */
@Injectable()
export class ApplyJiraChangeService {
  constructor(
    private readonly groupReads: GroupQueryRepository,
    private readonly groupWrites: GroupRepository,
  ) {}

  async apply(m: EntityManager, projectId: string, change: JiraChange, settings: StoredJiraSettings | null, source: ActivitySource): Promise<ApplyOutcome> {
    const [outcome] = await this.applyAll(m, projectId, [change], settings, source);
    return outcome;
  }

  /**
   * Applies changes of one or more issues in the given order, with the outcome apply()
   * would have for each in turn, but with one read and one write for all of them
   * (GroupQueryRepository.lockIssuesWithGroups, GroupRepository.saveAppliedChanges).
   */
  async applyAll(m: EntityManager, projectId: string, changes: JiraChange[], settings: StoredJiraSettings | null, source: ActivitySource): Promise<ApplyOutcome[]> {
    if (changes.length === 0) return [];
    const locked = await this.groupReads.lockIssuesWithGroups(m, projectId, [...new Set(changes.map((c) => c.issueId))]);
    return this.applyLocked(m, projectId, changes, locked, settings, source);
  }

  /** applyAll, with the changes' issues and their groups already locked in `m`'s transaction (WebhookEventRepository.takePending does that). */
  async applyLocked(
    m: EntityManager,
    projectId: string,
    changes: JiraChange[],
    { issues, groups }: LockedIssues,
    settings: StoredJiraSettings | null,
    source: ActivitySource,
  ): Promise<ApplyOutcome[]> {
    if (changes.length === 0) return [];
    if (issues.length === 0) return changes.map(() => 'unlinked');
    const work = new Map<string, IssueWork>(issues.map((issue) => [issue.issueId, { issue, groups: [], changed: false, deleted: false }]));
    const byRef = new Map(issues.map((i) => [i.id, work.get(i.issueId)!]));
    for (const g of groups) byRef.get(g.ticketRef)!.groups.push(g);

    const log: NewActivity[] = [];
    const note = (g: LinkedGroup, kind: string, detail: string) => log.push({ projectId, fingerprint: g.fingerprint, kind, source, detail });
    const changedGroups = new Set<LinkedGroup>();
    const outcomes = changes.map((change): ApplyOutcome => {
      const w = work.get(change.issueId);
      if (!w || w.deleted) return 'unlinked';
      const { issue } = w;
      if (change.kind === 'deleted') {
        for (const g of w.groups) note(g, 'ticket.deleted', `Jira issue ${issue.issueKey} was deleted; the link was removed`);
        w.deleted = true;
        return 'deleted';
      }
      const at = new Date(change.timestamp);
      if (issue.lastEventAt && at < issue.lastEventAt) return 'stale';
      const base: IssueBase = {
        status: issue.status ? { name: issue.status, category: issue.statusCategory ?? undefined } : undefined,
        assignee: issue.assignee ?? null,
        synced: !!issue.lastEventAt,
        linkedAt: issue.linkedAt,
      };
      if (this.updateSnapshot(issue, change, at)) w.changed = true;
      if (change.previousKey || change.changedFields.includes('key')) {
        for (const g of w.groups) note(g, 'ticket.moved', `Jira issue moved to ${issue.issueKey}`);
      }
      let changed = false;
      if (settings?.enabled && settings.sync.inbound) {
        for (const g of w.groups) {
          if (this.applyToGroup(g, change, base, at, settings, (kind, detail) => note(g, kind, detail))) {
            changed = true;
            changedGroups.add(g);
          }
        }
      }
      return changed ? 'applied' : 'unchanged';
    });

    const all = [...work.values()];
    // Groups of a deleted issue keep what earlier changes in this batch did to them, then lose the link.
    await this.groupWrites.saveAppliedChanges(m, all.filter((w) => w.changed && !w.deleted).map((w) => w.issue), [...changedGroups], log);
    await this.groupWrites.removeIssues(m, all.filter((w) => w.deleted).map((w) => w.issue.id));
    return outcomes;
  }

  /** Returns whether the snapshot changed (an event delivered again changes nothing, not even updated_at). */
  private updateSnapshot(issue: LockedIssue, change: JiraChange, at: Date): boolean {
    const before = snapshotOf(issue);
    if (change.issueKey && change.issueKey !== issue.issueKey) {
      issue.url = issue.url.replace(/[^/]+$/, change.issueKey);
      issue.issueKey = change.issueKey;
    }
    if (change.status) {
      issue.status = change.status.name;
      issue.statusCategory = change.status.category ?? null; // not the previous status's category
    }
    if (change.assignee !== undefined) issue.assignee = change.assignee;
    if (change.fixVersions) issue.fixVersions = change.fixVersions;
    issue.lastEventAt = at;
    return !isDeepStrictEqual(before, snapshotOf(issue));
  }

  private applyToGroup(
    g: LinkedGroup,
    change: JiraChange,
    base: IssueBase,
    at: Date,
    settings: StoredJiraSettings,
    note: (kind: string, detail: string) => void,
  ): boolean {
    const newerHere = !!g.localChangedAt && g.localChangedAt > at;
    const changedHereSinceLink = !!g.localChangedAt && !!base.linkedAt && g.localChangedAt > base.linkedAt;
    /**
     * Take Jira's value when Jira changed the field, unless the group changed it too, later. Before the first
     * Jira change is applied, the group may never have agreed with the snapshot (it was linked as it was):
     * Jira's value is taken unless the group changed here since, later than Jira; but a field Jira still holds
     * as it was at the link keeps what a person set here after the link (its outbound job pushes it), however
     * late the event is (a comment added after the change carries the issue's fields unchanged).
     */
    const takeJira = <T>(remote: T, baseValue: T | undefined, local: T): boolean => {
      if (remote === local) return false;
      const localChanged = local !== baseValue;
      if (!base.synced) return remote === baseValue && changedHereSinceLink ? false : !localChanged || !newerHere;
      return remote !== baseValue && (!localChanged || !newerHere);
    };
    const userOf = (p: JiraUserRef) => userForJiraPerson(p, settings.userMapping, settings.autoMapUsersByEmail);
    let changed = false;
    if (change.status) {
      const state = stateForStatus(change.status, settings.statusMapping);
      const baseState = base.status ? stateForStatus(base.status, settings.statusMapping) : undefined;
      if (!state) {
        if (!base.synced || base.status?.name !== change.status.name) {
          note('state.unmapped', `Jira status '${change.status.name}' maps to no state; the group keeps '${g.state}'`);
        }
      } else if (takeJira(state, baseState, g.state)) {
        note('state.changed', `State changed from ${g.state} to ${state} (Jira status '${change.status.name}')`);
        setGroupState(g as ErrorGroupEntity, state);
        changed = true;
      }
    }
    if (settings.fixVersionSync.enabled && !newerHere) changed = this.applyFixVersions(g, change, settings, note) || changed;
    if (change.assignee !== undefined) {
      const mapped = change.assignee ? userOf(change.assignee) : null;
      const user = mapped?.user ?? null;
      const baseUser = base.assignee ? userOf(base.assignee).user : null;
      if (takeJira(user, baseUser, g.assignee)) {
        note('assignee.changed', user ? `Assigned to ${user} in Jira` : 'Unassigned in Jira');
        g.assignee = user;
        changed = true;
        if (mapped && !mapped.mapped) note('assignee.unmapped', `Jira user '${mapped.user}' is not mapped to a user here; add them under User mapping`);
      }
    }
    return changed;
  }

  /**
   * A done issue with Fix Version(s) resolves its groups until the lowest one
   * (docs/behaviour.md, "Fix versions and regressions"); fix versions added later move it.
   * Leaving resolved (a person reopened the issue) clears it, in setGroupState.
   */
  private applyFixVersions(g: LinkedGroup, change: JiraChange, settings: StoredJiraSettings, note: (kind: string, detail: string) => void): boolean {
    if (g.state !== 'resolved' || change.status?.category !== 'done' || change.fixVersions === undefined) return false;
    const outcome = resolvedUntilFromFixVersions(change.fixVersions, settings.fixVersionSync.versionAttribute);
    if (outcome.kind === 'unparsable') {
      if (g.resolvedUntil === null && (change.changedFields.includes('fixVersions') || change.changedFields.includes('status'))) {
        note('fix-version.unparsable', `Fix version(s) ${outcome.names.map((n) => `'${n.slice(0, 64)}'`).join(', ')} hold no version number; the group is resolved without a version (any later report reopens it)`);
      }
      return false;
    }
    if (outcome.kind !== 'until') return false;
    const next = outcome.resolvedUntil;
    if (g.resolvedUntil?.version === next.version && g.resolvedUntil.attribute === next.attribute) return false;
    g.resolvedUntil = next;
    note('resolved-until.changed', `Resolved until ${next.attribute} ${next.version} (Jira fix version '${outcome.fixVersion}')`);
    return true;
  }
}
