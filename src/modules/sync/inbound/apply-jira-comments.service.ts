import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { GroupCommentRepository, JiraCommentVersion } from '@app/database/repositories/group-comment.repository';
import { commentText, isAutomaticComment, splitMarker } from '@app/modules/jira/client';
import type { JiraComment, JiraUserRef } from '@app/modules/jira/client/jira-types';
import { StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';
import { JiraChange } from './jira-change';
import { parseJiraDate, userRefOf } from './parse-issue';

const authorName = (u: JiraUserRef | undefined) => u?.displayName ?? u?.name ?? u?.accountId ?? 'Jira';

/** A comment of a webhook event or a resync read as the version the repository stores. */
export function commentVersion(c: { id: string; body: string; author?: JiraUserRef; created?: number; updated?: number; deleted?: boolean }, fallbackAt: number): JiraCommentVersion {
  const { body, marker } = splitMarker(c.body);
  const created = c.created ?? c.updated ?? fallbackAt;
  return {
    jiraCommentId: c.id, author: authorName(c.author), body, marker,
    createdAt: new Date(created), updatedAt: new Date(c.updated ?? created), deleted: !!c.deleted,
  };
}

/** A comment read back from Jira's REST API (resync). */
export function versionOfJiraComment(c: JiraComment, fallbackAt: number): JiraCommentVersion {
  return commentVersion(
    { id: String(c.id), body: commentText(c.body), author: userRefOf(c.author), created: parseJiraDate(c.created), updated: parseJiraDate(c.updated) },
    fallbackAt,
  );
}

/**
 * Jira comments onto the groups of their issue (settings.comments.inbound): created, edited and deleted, in
 * any order and any number of times, converging on Jira's latest version (GroupCommentRepository.applyJiraVersion).
 * The comments crashbridge posts on its own (milestones, regressions, backlinks) stay in Jira: the group's
 * activity log has them already.
 */
@Injectable()
export class ApplyJiraCommentsService {
  constructor(private readonly comments: GroupCommentRepository) {}

  async applyAll(m: EntityManager, projectId: string, changes: JiraChange[], settings: StoredJiraSettings | null): Promise<number> {
    if (!settings?.enabled || !settings.comments.inbound) return 0;
    let changed = 0;
    for (const change of changes) {
      if (change.kind !== 'comment' || !change.comment || isAutomaticComment(change.comment.body)) continue;
      changed += await this.comments.applyJiraVersion(m, projectId, change.issueId, commentVersion(change.comment, change.timestamp));
    }
    return changed;
  }

  /** Resync: the issue's comments as Jira lists them now; the ones it no longer lists were deleted. */
  async reconcile(m: EntityManager, projectId: string, issueId: string, listed: JiraComment[], settings: StoredJiraSettings): Promise<number> {
    if (!settings.enabled || !settings.comments.inbound) return 0;
    let changed = 0;
    const now = Date.now();
    for (const c of listed) {
      const version = versionOfJiraComment(c, now);
      if (!isAutomaticComment(version.body)) changed += await this.comments.applyJiraVersion(m, projectId, issueId, version);
    }
    return changed + (await this.comments.markMissingDeleted(m, projectId, issueId, listed.map((c) => String(c.id))));
  }
}
