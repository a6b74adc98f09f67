import { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupOccurrences1764840000000 implements MigrationInterface {
  name = 'GroupOccurrences1764840000000';

  async up(q: QueryRunner): Promise<void> {
    // Occurrences per group and minute, for createRules.threshold ("N occurrences within M minutes"): kept
    // only for groups waiting for their automatic ticket, and for at most the longest window (7 days). Every
    // report updates its group's row of the minute: pages kept half empty let those updates stay on the page
    // (HOT), without touching the indexes.
    await q.query(`
      CREATE TABLE group_occurrences (
        group_id bigint NOT NULL REFERENCES error_groups(id) ON DELETE CASCADE,
        bucket_start timestamptz NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (group_id, bucket_start)
      ) WITH (fillfactor = 50)`);
    // The bounded sweep of expired buckets finds them by age.
    await q.query(`CREATE INDEX group_occurrences_bucket_start ON group_occurrences (bucket_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE group_occurrences');
  }
}
