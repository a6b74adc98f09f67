import { Injectable } from '@nestjs/common';
import { JiraClient } from '@app/modules/jira/client';
import { JiraIntegration } from '@app/modules/jira-settings/jira-settings';
import { IssueMetadata, loadIssueMetadata } from './issue-metadata';

/** Field metadata changes rarely; a short TTL keeps a burst of tickets from re-reading it. */
export const METADATA_TTL_MS = 5 * 60_000;

interface Entry {
  key: string;
  at: number;
  value: Promise<IssueMetadata>;
}

/** Field metadata per integration, cached for a few minutes and dropped when the settings change. */
@Injectable()
export class FieldMetadataService {
  private readonly cache = new Map<string, Entry>();

  get(integration: JiraIntegration, client: JiraClient): Promise<IssueMetadata> {
    const key = `${integration.revision}:${integration.settings.projectKey}:${integration.settings.issueType}`;
    const hit = this.cache.get(integration.projectId);
    if (hit && hit.key === key && Date.now() - hit.at < METADATA_TTL_MS) return hit.value;
    const value = loadIssueMetadata(client, integration.settings.projectKey, integration.settings.issueType);
    this.cache.set(integration.projectId, { key, at: Date.now(), value });
    // A failed read is not cached: the next ticket tries again.
    value.catch(() => {
      if (this.cache.get(integration.projectId)?.value === value) this.cache.delete(integration.projectId);
    });
    return value;
  }
}
