import { AppConfig } from '@app/config/app-config';
import { PrunedTable, SelfExpiringTable } from '@app/database/repositories/retention.repository';

/** A table the pruning job deletes from, and how many days its rows are kept (0: by their own expiry). */
export interface RetainedTable {
  table: PrunedTable | SelfExpiringTable;
  days: number;
}

/**
 * Every table that grows without bound, and its window. Domain data (projects, groups, Jira issues,
 * integrations, their webhooks' records) and unfinished or failed jobs are not in this list: they are
 * never pruned. docs/retention.md gives the reasons table by table.
 */
export function retainedTables(config: Pick<AppConfig, 'retentionDays' | 'jobRetentionDays'>): RetainedTable[] {
  return [
    { table: 'activity', days: config.retentionDays },
    { table: 'group_changes', days: config.retentionDays },
    { table: 'change_commits', days: config.retentionDays },
    { table: 'notification_deliveries', days: config.retentionDays },
    { table: 'webhook_deliveries', days: config.retentionDays },
    { table: 'webhook_events', days: config.retentionDays },
    { table: 'outbox', days: config.jobRetentionDays },
    { table: 'idempotency_keys', days: config.jobRetentionDays },
    { table: 'jira_runs', days: config.jobRetentionDays },
    { table: 'ui_sessions', days: 0 },
    { table: 'sign_in_failures', days: 0 },
    { table: 'group_occurrences', days: 0 },
    { table: 'group_hourly_counts', days: 0 },
  ];
}
