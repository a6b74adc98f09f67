import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper batch ingestion: the four foreign keys whose check ran once per row a new group writes become delete
 * triggers. A key check is a lookup and lock of the referenced row per inserted row, and a new group is four such
 * rows (itself, its hour row, its `group.created` activity entry and change): together about a quarter of a
 * 1,000-new-group batch's statement. The rows still go when what they belong to goes, in the same statement, as
 * `ON DELETE CASCADE` did:
 * - `error_groups` with their project. Only the ingest statements insert groups, and they lock the project row
 *   once (`FOR KEY SHARE`, as the key check did per row) and write nothing when it is gone; a project deleted
 *   meanwhile waits for them, then deletes what they wrote. The trigger's name sorts before the key triggers'
 *   (`RI_ConstraintTrigger_…`), so the groups go first, as they did: before the project's issues, whose cascade
 *   would otherwise unlink the groups and record that change for a project already gone;
 * - `group_hourly_counts` with their group: only the ingest statements insert hour rows, each for a group it holds
 *   locked (so a group cannot be deleted under them);
 * - `activity` and `group_changes` with their project. Their writers name a project they have just read or
 *   written; an entry written while its project is being deleted waits for it where the writer also locks the
 *   project or a group of it (ingestion, Jira changes); otherwise it may outlive the project unseen (nothing
 *   reads a deleted project's entries) until retention deletes it by age.
 */
export class BatchIngest1764940000000 implements MigrationInterface {
  name = 'BatchIngest1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE error_groups DROP CONSTRAINT error_groups_project_id_fkey`);
    await q.query(`
      CREATE FUNCTION delete_project_groups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM error_groups WHERE project_id = OLD.id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "A_projects_groups" AFTER DELETE ON projects FOR EACH ROW EXECUTE FUNCTION delete_project_groups()`);
    await q.query(`ALTER TABLE group_hourly_counts DROP CONSTRAINT group_hourly_counts_group_id_fkey`);
    await q.query(`ALTER TABLE activity DROP CONSTRAINT activity_project_id_fkey`);
    await q.query(`ALTER TABLE group_changes DROP CONSTRAINT group_changes_project_id_fkey`);
    await q.query(`
      CREATE FUNCTION delete_group_hourly_counts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM group_hourly_counts h USING gone g WHERE h.group_id = g.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER error_groups_hourly_counts AFTER DELETE ON error_groups
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION delete_group_hourly_counts()`);
    await q.query(`
      CREATE FUNCTION delete_project_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM activity a USING gone p WHERE a.project_id = p.id;
        DELETE FROM group_changes c USING gone p WHERE c.project_id = p.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER projects_entries AFTER DELETE ON projects
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION delete_project_entries()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER projects_entries ON projects');
    await q.query('DROP FUNCTION delete_project_entries()');
    await q.query(`DELETE FROM activity a WHERE a.project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = a.project_id)`);
    await q.query(`DELETE FROM group_changes c WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = c.project_id)`);
    await q.query(`ALTER TABLE activity ADD CONSTRAINT activity_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE group_changes ADD CONSTRAINT group_changes_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE`);
    await q.query('DROP TRIGGER error_groups_hourly_counts ON error_groups');
    await q.query('DROP FUNCTION delete_group_hourly_counts()');
    await q.query(`DELETE FROM group_hourly_counts h WHERE NOT EXISTS (SELECT 1 FROM error_groups g WHERE g.id = h.group_id)`);
    await q.query(`ALTER TABLE group_hourly_counts ADD CONSTRAINT group_hourly_counts_group_id_fkey FOREIGN KEY (group_id) REFERENCES error_groups(id) ON DELETE CASCADE`);
    await q.query('DROP TRIGGER "A_projects_groups" ON projects');
    await q.query('DROP FUNCTION delete_project_groups()');
    await q.query(`DELETE FROM error_groups g WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = g.project_id)`);
    await q.query(`ALTER TABLE error_groups ADD CONSTRAINT error_groups_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE`);
  }
}
