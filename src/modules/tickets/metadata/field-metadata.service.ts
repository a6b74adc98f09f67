import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { JiraClient } from '@app/modules/jira/client';
import { JiraIntegration } from '@app/modules/jira-settings/jira-settings';
import { IssueMetadata, loadIssueMetadata } from './issue-metadata';

/** Field metadata changes rarely; a short TTL keeps a burst of tickets from re-reading it. */
export const METADATA_TTL_MS = 5 * 60_000;
/** Entries kept at most: a few per integration (one per route's project and issue type). */
const MAX_ENTRIES = 1_000;

/** Where an issue is created: the route's project and issue type. */
export interface IssueTarget {
  projectKey: string;
  issueType: string;
}

interface Entry {
  revision: number;
  at: number;
  value: Promise<IssueMetadata>;
}

/**
 * Field metadata per integration and (project, issue type): each route may create its tickets in
 * another project, with its own issue types and create screens. Cached for a few minutes and
 * dropped when the settings change (a new revision).
 */
@Injectable()
export class FieldMetadataService {
  private readonly cache = new LRUCache<string, Entry>({ max: MAX_ENTRIES });

  get(integration: JiraIntegration, client: JiraClient, target: IssueTarget): Promise<IssueMetadata> {
    const key = JSON.stringify([integration.projectId, target.projectKey.toUpperCase(), target.issueType.toLowerCase()]);
    const hit = this.cache.get(key);
    if (hit && hit.revision === integration.revision && Date.now() - hit.at < METADATA_TTL_MS) return hit.value;
    const value = loadIssueMetadata(client, target.projectKey, target.issueType);
    this.cache.set(key, { revision: integration.revision, at: Date.now(), value });
    // A failed read is not cached: the next ticket tries again.
    value.catch(() => {
      if (this.cache.get(key)?.value === value) this.cache.delete(key);
    });
    return value;
  }
}
