// GroupRepository.upsertReports at the size of a site with many tickets: every kind of the ingest statement finds
// the issues of its groups by primary key, where the planner, counting the reports as 100 rows, would hash-join
// them with a read of the whole jira_issues table in every statement.
import { GroupRepository } from '@app/database/repositories/group.repository';
import { ReportSum, UpsertKind } from '@app/database/repositories/group.rows';
import { createProject, projectIdOf, startTestApp, TestApp } from '../../support/test-app';
import { planNodes } from '../../support/query-plans';

const ISSUES = 20_000;
/** Tables of a few rows per project, which a plan may read whole. */
const SMALL_TABLES = ['projects', 'jira_integrations'];

describe('GroupRepository.upsertReports at 20,000 linked issues', () => {
  let app: TestApp;
  let groups: GroupRepository;
  let projectId: string;
  beforeAll(async () => {
    app = await startTestApp();
    groups = app.service.app.get(GroupRepository);
    projectId = await projectIdOf(app, (await createProject(app)).key);
    await sql(
      `INSERT INTO jira_issues (project_id, issue_id, issue_key, url)
       SELECT $1, 'big-' || n, 'BIG-' || n, 'https://jira.example/BIG-' || n FROM generate_series(1, ${ISSUES}) n`,
      [projectId],
    );
    await sql(
      `INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen, count, ticket_ref)
       SELECT $1, i.issue_id, 't', now(), now(), 1, i.id FROM jira_issues i WHERE i.project_id = $1`,
      [projectId],
    );
    await sql(
      `INSERT INTO error_groups (project_id, fingerprint, title, first_seen, last_seen, count)
       SELECT $1, 'plain-' || n, 't', now(), now(), 1 FROM generate_series(1, ${ISSUES}) n`,
      [projectId],
    );
    await sql('ANALYZE jira_issues');
    await sql('ANALYZE error_groups');
  }, 120_000);
  afterAll(() => app.stop());

  const sql = (text: string, params: unknown[] = []) => app.dataSource.query(text, params);
  const report = (fingerprint: string): ReportSum => ({
    fingerprint, title: 't', callstack: null, classifiers: null, link: null, count: 1, firstSeen: new Date(), lastSeen: new Date(),
    attributes: { version: { '1.0': 1 } }, complex: false,
  });
  const text = (s: string) => `'${s.replace(/'/g, "''")}'`;

  it.each<[UpsertKind, string]>([
    ['single-fast', 'crashbridge_ingest_single_fast'],
    ['single-fast-token', 'crashbridge_ingest_single_fast_token'],
    ['single', 'crashbridge_ingest_single'],
    ['batch', 'crashbridge_ingest_batch'],
  ])('%s: reads no large table whole, with a custom plan or the generic one', async (kind, name) => {
    const [token] = await sql(`SELECT ingest_token_hash AS hash FROM projects WHERE id = $1`, [projectId]);
    const tokenHash = kind === 'single-fast-token' ? (token.hash as string) : undefined;
    await app.dataSource.transaction(async (m) => {
      // Prepares the statement on this connection, and shows what it answers: the linked group with its issue.
      const up = await groups.upsertReports(m, kind, projectId, [report('big-3'), report('plain-9')], tokenHash);
      expect(up.rows.get('big-3')?.count).toBe(2);
      expect(up.rows.get('plain-9')?.count).toBe(2);
      if (kind !== 'batch') {
        expect(up.rows.get('big-3')?.ticket).toMatchObject({ key: 'BIG-3', url: 'https://jira.example/BIG-3' });
        expect(up.rows.get('plain-9')?.ticket).toBeNull();
      }
      const sums = [{ f: 'big-5', t: 't', c: [], k: [], n: 1, a: '2026-01-01T00:00:00Z', b: '2026-01-01T00:00:00Z', h: {} }];
      const params = [text(projectId), `${text(JSON.stringify(sums))}::jsonb`, `'{}'::text[]`, `'{}'::text[]`, ...(tokenHash ? [text(tokenHash)] : [])];
      for (const mode of ['force_custom_plan', 'force_generic_plan']) {
        await m.query(`SET LOCAL plan_cache_mode = ${mode}`);
        const [plan] = await m.query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}(${params.join(', ')})`);
        const scanned = planNodes(plan['QUERY PLAN']).filter((n) => n.type === 'Seq Scan' && !SMALL_TABLES.includes(n.relation ?? ''));
        expect({ mode, scanned }).toEqual({ mode, scanned: [] });
      }
      // Nothing of the test's is kept: the next kind starts from the same counts.
      throw new RollBack();
    }).catch((err) => {
      if (!(err instanceof RollBack)) throw err;
    });
  });
});

class RollBack extends Error {}
