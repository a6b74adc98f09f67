import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupHourlyCountRepository, HOURLY_COUNT_WINDOW_HOURS } from '@app/database/repositories/group-hourly-count.repository';
import { GroupsService } from '@app/modules/ingestion/groups.service';

/** The hours the group page charts (the last 7 days), and the API's default. */
export const CHARTED_HOURS = 7 * 24;

export interface GroupOccurrences {
  since: Date;
  until: Date;
  /** Occurrences by hour (UTC), oldest first; hours without any are left out. */
  hours: Array<{ start: Date; count: number }>;
  /** How many hours back the counts are kept (older ones are deleted). */
  keptHours: number;
}

/**
 * A group's occurrences by hour over the last `hours` hours (the current one included), from group_hourly_counts:
 * every report adds its count to the hour of its lastSeen as it is ingested, for every group.
 */
@Injectable()
export class GetGroupOccurrencesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
    private readonly counts: GroupHourlyCountRepository,
  ) {}

  async execute(projectId: string, fingerprint: string, hours = CHARTED_HOURS, now = new Date()): Promise<GroupOccurrences> {
    const group = await this.groups.get(projectId, fingerprint);
    const since = new Date((Math.floor(now.getTime() / 3600_000) - Math.min(hours, HOURLY_COUNT_WINDOW_HOURS) + 1) * 3600_000);
    const counts = await this.counts.hourlySince(this.dataSource.manager, group.id, since);
    return { since, until: now, hours: counts, keptHours: HOURLY_COUNT_WINDOW_HOURS };
  }
}
