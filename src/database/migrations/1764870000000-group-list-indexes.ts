import { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupListIndexes1764870000000 implements MigrationInterface {
  name = 'GroupListIndexes1764870000000';

  async up(q: QueryRunner): Promise<void> {
    // The group list sorted by count (either direction: an index scans backwards too), over all groups and
    // within a state, the filter the triage view uses most. The lastSeen order has had its pair since the
    // initial schema. The other filters scan these in order and stop at a full page, which is quick while
    // they match often (no ticket, unassigned, a busy assignee; the few linked issues of a status are
    // looked up by ticket_ref). A rarely used assignee would scan every group: its partial index finds
    // the few rows to sort instead, and costs nothing for the unassigned majority.
    await q.query(`CREATE INDEX error_groups_project_count ON error_groups (project_id, count DESC, id DESC)`);
    await q.query(`CREATE INDEX error_groups_project_state_count ON error_groups (project_id, state, count DESC, id DESC)`);
    await q.query(`CREATE INDEX error_groups_project_assignee ON error_groups (project_id, assignee) WHERE assignee IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX error_groups_project_assignee');
    await q.query('DROP INDEX error_groups_project_state_count');
    await q.query('DROP INDEX error_groups_project_count');
  }
}
