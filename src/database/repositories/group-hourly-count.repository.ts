import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { pgQuery } from '@app/database/pg-query';

/** A row of group_hourly_counts: a group's occurrences in the hour (UTC) starting at `hour`. */
export interface GroupHourlyCountRow {
  groupId: string;
  hour: Date;
  count: number;
}

/**
 * How long hourly counts are kept (30 days of hours): ingestion records no hour older than this, and the
 * retention job deletes the ones that grow older (deleteHourlyCountsBefore).
 */
export const HOURLY_COUNT_WINDOW_HOURS = 30 * 24;

/**
 * group_hourly_counts: every group's occurrences by hour. Written by the ingest statements of GroupRepository
 * (the upsert and the write-back of groups merged in code), under the group's row lock; read here.
 */
@Injectable()
export class GroupHourlyCountRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A group's occurrences by hour from `since` on, oldest first; hours without any are left out. */
  async hourlySince(m: EntityManager, groupId: string, since: Date): Promise<Array<{ start: Date; count: number }>> {
    const rows: Array<{ hour: Date; count: string }> = await m.query(
      `SELECT hour, count FROM group_hourly_counts WHERE group_id = $1 AND hour >= $2 ORDER BY hour`,
      [groupId, new Date(Math.floor(since.getTime() / 3600_000) * 3600_000)],
    );
    return rows.map((r) => ({ start: new Date(r.hour), count: Number(r.count) }));
  }

  /**
   * Deletes up to `batchSize` hourly counts of hours before `cutoff`, oldest first, of any group; rows an ingest
   * holds are skipped (left for the next call), so this never waits for ingestion. Returns how many were deleted:
   * less than `batchSize` means none are left (but skipped ones).
   */
  async deleteHourlyCountsBefore(cutoff: Date, batchSize: number): Promise<number> {
    const rows = await pgQuery<unknown>(
      this.dataSource.manager,
      {
        text: `DELETE FROM group_hourly_counts c
        USING (SELECT group_id, hour FROM group_hourly_counts WHERE hour < $1
                ORDER BY hour LIMIT $2 FOR UPDATE SKIP LOCKED) x
        WHERE c.group_id = x.group_id AND c.hour = x.hour
       RETURNING 1`,
      },
      [cutoff, batchSize],
    );
    return rows.length;
  }
}
