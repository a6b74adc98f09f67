import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { ReportSum } from '@app/database/repositories/group.rows';
import { createProject, projectIdOf, startTestApp, TestApp } from '../../support/test-app';

/** GroupRepository.upsertReports against a real database: what the coalesced upsert adds up in SQL. */
describe('GroupRepository.upsertReports', () => {
  let app: TestApp;
  let groups: GroupRepository;
  let reads: GroupQueryRepository;
  let projectId: string;
  beforeAll(async () => {
    app = await startTestApp();
    groups = app.service.app.get(GroupRepository);
    reads = app.service.app.get(GroupQueryRepository);
    projectId = await projectIdOf(app, (await createProject(app)).key);
  });
  afterAll(() => app.stop());

  const sum = (fingerprint: string, over: Partial<ReportSum>): ReportSum => ({
    fingerprint, title: null, callstack: null, classifiers: null, link: null, count: 1,
    firstSeen: new Date('2026-11-02T00:00:00Z'), lastSeen: new Date('2026-11-02T00:00:00Z'), attributes: {}, complex: false, ...over,
  });
  const createdEntries = async (fingerprint: string) =>
    (await app.dataSource.query(`SELECT count(*)::int AS n FROM activity WHERE fingerprint = $1 AND kind = 'group.created'`, [fingerprint]))[0].n;

  it('inserts a new group, then adds a second report to it field by field', async () => {
    const m = app.dataSource.manager;
    const first = await groups.upsertReports(m, 'single', projectId, [
      sum('merge-1', { title: 'Crash in parser', callstack: ['a', 'b'], link: 'https://errors.example.com/1', count: 2, attributes: { version: { '1.0': 2 } } }),
    ]);
    expect(first.rows.get('merge-1')).toMatchObject({ created: true, count: 2, title: 'Crash in parser', ticket: null });
    expect(first.hasIntegration).toBe(false);

    const second = await groups.upsertReports(m, 'single', projectId, [
      sum('merge-1', {
        count: 3, classifiers: ['SIGSEGV'], attributes: { version: { '1.0': 1, '2.0': 2 }, os: { linux: 3 } },
        firstSeen: new Date('2026-11-01T00:00:00Z'), lastSeen: new Date('2026-11-03T00:00:00Z'),
      }),
    ]);
    // No title, callstack or link in the second report: the stored ones stay; counts and histograms add up.
    expect(second.rows.get('merge-1')).toMatchObject({
      created: false, count: 5, title: 'Crash in parser', callstack: ['a', 'b'], classifiers: ['SIGSEGV'], link: 'https://errors.example.com/1',
      attributes: { version: { '1.0': 3, '2.0': 2 }, os: { linux: 3 } },
      firstSeen: new Date('2026-11-01T00:00:00Z'), lastSeen: new Date('2026-11-03T00:00:00Z'),
    });
    expect(await createdEntries('merge-1')).toBe(1);
  });

  it('leaves a group whose reports could reach a limit to code: locked, unchanged, not returned', async () => {
    const m = app.dataSource.manager;
    await groups.upsertReports(m, 'single', projectId, [sum('merge-2', { count: 4 })]);
    await app.dataSource.transaction(async (tx) => {
      const up = await groups.upsertReports(tx, 'batch', projectId, [sum('merge-2', { count: 7, complex: true }), sum('merge-3', { count: 1 })]);
      expect(up.rows.has('merge-2')).toBe(false);
      expect(up.rows.get('merge-3')).toMatchObject({ created: true, count: 1 });
      const [locked] = await groups.lockForMerge(tx, projectId, ['merge-2']);
      expect(Number(locked.count)).toBe(4);
    });
    expect((await reads.findByFingerprint(projectId, 'merge-2'))?.count).toBe(4);
  });
});
