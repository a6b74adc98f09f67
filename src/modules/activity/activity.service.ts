import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ActivityEntity } from '@app/database/entities';
import { ActivityFilter, ActivityRepository, NewActivityRow } from '@app/database/repositories/activity.repository';

export type NewActivity = NewActivityRow;
export type ActivityQuery = ActivityFilter;

/** The integration log users read to see what happened and why (Aha!'s "integration log"). */
@Injectable()
export class ActivityService {
  constructor(private readonly rows: ActivityRepository) {}

  /** Writes through the caller's manager, so an entry commits with the change it describes. */
  async record(m: EntityManager, entry: NewActivity): Promise<void> {
    await this.recordMany(m, [entry]);
  }

  async recordMany(m: EntityManager, entries: NewActivity[]): Promise<void> {
    await this.rows.insertMany(m, entries);
  }

  list(q: ActivityQuery): Promise<ActivityEntity[]> {
    return this.rows.findLatest(q);
  }
}
