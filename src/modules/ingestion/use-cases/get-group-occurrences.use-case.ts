import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupOccurrenceRepository, OCCURRENCE_WINDOW_MAX_MINUTES } from '@app/database/repositories/group-occurrence.repository';
import { GroupsService } from '@app/modules/ingestion/groups.service';

export interface GroupOccurrences {
  since: Date;
  until: Date;
  /** Occurrences by hour (UTC), hours without any left out. */
  hours: Array<{ start: Date; count: number }>;
  /** How long buckets are kept before the retention job prunes them. */
  retentionMinutes: number;
}

/**
 * A group's recent occurrences by hour, from the one-minute buckets of group_occurrences. Those exist only
 * while the group waits for its automatic ticket under a threshold rule, and only for the last 7 days: the
 * page says so next to the chart.
 */
@Injectable()
export class GetGroupOccurrencesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
    private readonly occurrences: GroupOccurrenceRepository,
  ) {}

  async execute(projectId: string, fingerprint: string, now = new Date()): Promise<GroupOccurrences> {
    const group = await this.groups.get(projectId, fingerprint);
    const since = new Date(now.getTime() - OCCURRENCE_WINDOW_MAX_MINUTES * 60_000);
    const hours = await this.occurrences.hourlySince(this.dataSource.manager, group.id, since);
    return { since, until: now, hours, retentionMinutes: OCCURRENCE_WINDOW_MAX_MINUTES };
  }
}
