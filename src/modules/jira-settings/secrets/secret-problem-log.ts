import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { ActivityService } from '@app/modules/activity/activity.service';
import { SecretKind } from './secret-problem';

/** One entry per project and secret an hour is enough to be seen, and cannot flood the log. */
const REPORT_EVERY_MS = 60 * 60_000;

/**
 * Tells the project's activity log that a stored secret cannot be decrypted (kind
 * `jira.secret-unreadable`), at most once an hour per project and secret in each process,
 * however many jobs or webhooks run into it.
 */
@Injectable()
export class SecretProblemLog {
  private readonly logger = new Logger('JiraSettings');
  private readonly reported = new LRUCache<string, true>({ max: 10_000, ttl: REPORT_EVERY_MS });

  constructor(
    private readonly dataSource: DataSource,
    private readonly activity: ActivityService,
  ) {}

  async note(projectId: string, kind: SecretKind, problem: string, source: 'jira' | 'worker' | 'api'): Promise<void> {
    const key = `${projectId}:${kind}`;
    if (this.reported.has(key)) return;
    this.reported.set(key, true);
    const what = kind === 'token' ? 'Jira API token' : 'webhook secret';
    this.logger.warn({ msg: `stored ${what} cannot be decrypted`, projectId });
    await this.activity.record(this.dataSource.manager, {
      projectId, kind: 'jira.secret-unreadable', source,
      detail: `The saved ${what} cannot be read: ${problem}`,
    });
  }
}
