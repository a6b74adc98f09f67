import { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupHourlyCounts1764880000000 implements MigrationInterface {
  name = 'GroupHourlyCounts1764880000000';

  async up(q: QueryRunner): Promise<void> {
    // Every group's occurrences per hour (UTC), written by the ingest upsert: the group page's chart and
    // GET …/groups/{fingerprint}/occurrences. Kept for HOURLY_COUNT_WINDOW_HOURS (30 days). Each report
    // updates its group's row of the hour: pages kept partly empty let those updates stay on the page (HOT).
    await q.query(`
      CREATE TABLE group_hourly_counts (
        group_id bigint NOT NULL REFERENCES error_groups(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (group_id, hour)
      ) WITH (fillfactor = 70)`);
    // The retention's bounded delete finds old hours by age.
    await q.query(`CREATE INDEX group_hourly_counts_hour ON group_hourly_counts (hour)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE group_hourly_counts');
  }
}
