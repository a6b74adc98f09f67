import { topValues } from '@app/modules/ingest-body/attribute-histograms';
import { GroupSnapshot, mergeReport, reportTimes } from '@app/modules/ingest-body/merge-report';
import { parseIngestBody } from '@app/modules/ingest-body/parse-ingest-body';
import { IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';
import { MAX_VALUES_PER_ATTRIBUTE } from '@app/modules/ingest-body/limits';
import { mulberry32 } from '../support/random';
import { createProject, startTestApp, TestApp } from '../support/test-app';

/**
 * The ingest path adds reports up in SQL and falls back to mergeReport() near the
 * attribute limits. Both must give what mergeReport() applied report by report
 * gives: these tests post generated reports (single and in batches, with repeats,
 * near the limits) and compare every group with that model.
 */
describe('ingestion merges like mergeReport()', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  const base = Date.parse('2026-11-01T00:00:00Z');
  const iso = (day: number) => new Date(base + day * 3_600_000).toISOString();

  function report(rand: () => number, fp: string, big: boolean): IngestGroupDto {
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const r: Record<string, unknown> = { fingerprint: fp };
    const title = pick(['', 'Title A', 'Title B', fp, undefined]);
    if (title !== undefined) r.title = title;
    const stack = pick([[], ['a', 'b'], ['c'], undefined]);
    if (stack !== undefined) r.callstack = stack;
    const cls = pick([[], ['SIGSEGV'], ['x', 'y'], undefined]);
    if (cls !== undefined) r.classifiers = cls;
    const link = pick(['https://errors.example.com/a', 'https://errors.example.com/b', undefined]);
    if (link !== undefined) r.link = link;
    const count = pick([0, 1, 2, 5, undefined]);
    if (count !== undefined) r.count = count;
    const first = Math.floor(rand() * 100);
    const last = first + Math.floor(rand() * 50);
    const times = pick(['both', 'first', 'last']);
    if (times !== 'last') r.firstSeen = iso(first);
    if (times !== 'first') r.lastSeen = iso(last);
    const attributes: Record<string, unknown> = {};
    const names = Math.floor(rand() * 4);
    for (let i = 0; i < names; i++) {
      const name = pick(['version', 'platform', 'host', 'toString', '1873']);
      const shape = pick(['object', 'list', 'scalar']);
      const value = () => pick(['1.0', '1.10', '2.0', 'toString', '__proto__', '(other)', '7', 'Linux']);
      if (shape === 'scalar') attributes[name] = value();
      else if (shape === 'list') attributes[name] = [[value(), Math.floor(rand() * 4)], [value(), 1]];
      else attributes[name] = { [value()]: Math.floor(rand() * 4), [value()]: 2 };
    }
    if (big) {
      // Near the limits: hundreds of distinct values, or attribute names.
      const offset = Math.floor(rand() * 1_000);
      if (rand() < 0.5) {
        const users: Record<string, number> = {};
        for (let i = 0; i < 400; i++) users[`u${offset + i}`] = 1 + Math.floor(rand() * 3);
        attributes.user = users;
      } else {
        for (let i = 0; i < 90; i++) attributes[`attr${(offset % 200) + i}`] = 'x';
      }
    }
    if (Object.keys(attributes).length > 0) r.attributes = attributes;
    return r as unknown as IngestGroupDto;
  }

  /** The old code path: a placeholder from the first report, then mergeReport() for each. */
  function apply(model: Map<string, GroupSnapshot>, raw: IngestGroupDto, now: Date): boolean {
    // As the server reads it (keys named like Object.prototype members are dropped).
    const parsed = parseIngestBody(JSON.parse(JSON.stringify(raw)));
    if (parsed.batch || !parsed.item.ok) throw new Error(`generated a bad report: ${JSON.stringify(parsed)}`);
    const r = parsed.item.report;
    let g = model.get(r.fingerprint);
    const created = !g;
    if (!g) {
      const t = reportTimes(r, now);
      g = {
        title: r.title || r.fingerprint, callstack: [], classifiers: [], count: 0, firstSeen: t.firstSeen, lastSeen: t.lastSeen,
        link: null, attributes: {}, state: 'open', resolvedUntil: null, resolvedAt: null, regressions: 0,
      };
    }
    model.set(r.fingerprint, mergeReport(g, r, now));
    return created;
  }

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: singles and batches, with repeats and near the limits`, async () => {
      const rand = mulberry32(seed);
      const { key } = await createProject(app);
      const model = new Map<string, GroupSnapshot>();
      const now = new Date(); // every generated report has a time, so `now` never shows
      // m-0 and m-1 (near the limits) come up more often than the others.
      const fps = ['m-0', 'm-0', 'm-1', 'm-1', ...Array.from({ length: 6 }, (_, i) => `m-${i + 2}`)];
      for (let step = 0; step < 40; step++) {
        const size = rand() < 0.4 ? 1 : 1 + Math.floor(rand() * 8);
        const reports = Array.from({ length: size }, () => {
          const fp = fps[Math.floor(rand() * fps.length)];
          return report(rand, fp, fp === 'm-0' || fp === 'm-1' ? rand() < 0.6 : false);
        });
        const single = size === 1 && rand() < 0.7;
        const res = await app.admin('post', `/api/v1/projects/${key}/groups`).send(single ? reports[0] : { groups: reports });
        const statuses = reports.map((r) => (apply(model, r, now) ? 'created' : 'updated'));
        if (single) {
          expect({ step, status: res.status }).toEqual({ step, status: statuses[0] === 'created' ? 201 : 200 });
        } else {
          expect({ step, status: res.status }).toEqual({ step, status: 200 });
          const seen = new Set<string>();
          const expected = reports.map((r, i) => {
            const s = statuses[i] === 'created' && !seen.has(r.fingerprint) ? 'created' : 'updated';
            seen.add(r.fingerprint);
            return { fingerprint: r.fingerprint, status: s };
          });
          expect({ step, results: res.body.results }).toEqual({ step, results: expected });
        }
      }
      for (const [fp, g] of model) {
        const got = (await app.admin('get', `/api/v1/projects/${key}/groups/${fp}`).expect(200)).body;
        expect({ fp, group: got }).toMatchObject({
          fp,
          group: {
            title: g.title, callstack: g.callstack, classifiers: g.classifiers, count: g.count, link: g.link,
            firstSeen: g.firstSeen.toISOString(), lastSeen: g.lastSeen.toISOString(),
            attributes: g.attributes, topValues: topValues(g.attributes),
          },
        });
      }
    });
  }

  it('merges repeats in one batch that pass the limits only together (new and existing groups)', async () => {
    const { key } = await createProject(app);
    const model = new Map<string, GroupSnapshot>();
    const now = new Date();
    const users = (from: number) => Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`u${from + i}`, 1 + (i % 3)]));
    const names = (from: number) => Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`a${from + i}`, 'x']));
    const batch = (fp: string) => [
      { fingerprint: fp, lastSeen: iso(1), attributes: { user: users(0), ...names(0) } },
      { fingerprint: fp, lastSeen: iso(2), title: 'two', attributes: { user: users(400), ...names(80) } },
      { fingerprint: fp, lastSeen: iso(3), count: 2, attributes: { user: users(800), ...names(160) } },
    ];
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'old', lastSeen: iso(0), attributes: { user: users(1000) } }).expect(201);
    apply(model, { fingerprint: 'old', lastSeen: iso(0), attributes: { user: users(1000) } } as unknown as IngestGroupDto, now);
    const groups = [...batch('new'), ...batch('old')];
    const res = await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups }).expect(200);
    for (const g of groups) apply(model, g as unknown as IngestGroupDto, now);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'updated', 'updated', 'updated', 'updated', 'updated']);
    for (const [fp, g] of model) {
      const got = (await app.admin('get', `/api/v1/projects/${key}/groups/${fp}`).expect(200)).body;
      expect(Object.keys(got.attributes.user)).toHaveLength(MAX_VALUES_PER_ATTRIBUTE);
      expect(Object.keys(got.attributes)).toHaveLength(200);
      expect({ fp, got }).toMatchObject({ fp, got: { title: g.title, count: g.count, lastSeen: g.lastSeen.toISOString(), attributes: g.attributes } });
    }
    const log = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=new&kind=group.created`).expect(200);
    expect(log.body).toEqual([expect.objectContaining({ detail: 'New group: two' })]);
  });

  it('answers a single post with the stored group, and a repeat of a title equal to the fingerprint keeps it', async () => {
    const { key } = await createProject(app);
    const post = (body: object) => app.admin('post', `/api/v1/projects/${key}/groups`).send(body);
    await post({ fingerprint: 'same', title: 'Real title', attributes: { version: { '1.9': 2, '1.10': 2 }, os: 'Linux' } }).expect(201);
    const res = await post({ fingerprint: 'same', title: 'same', lastSeen: '2026-11-02T00:00:00Z' }).expect(200);
    expect(res.body.title).toBe('same');
    const got = (await app.admin('get', `/api/v1/projects/${key}/groups/same`).expect(200)).body;
    expect(res.body).toEqual(got);
    // With a linked issue (and through the transaction path: an Idempotency-Key), the answer shows it like GET.
    await app.dataSource.query(
      `WITH i AS (INSERT INTO jira_issues (project_id, issue_id, issue_key, url, status, status_category)
                  SELECT id, '10042', 'CHK-42', 'https://jira.example.com/browse/CHK-42', 'To Do', 'new' FROM projects WHERE key = $1 RETURNING id, project_id)
       UPDATE error_groups g SET ticket_ref = i.id FROM i WHERE g.project_id = i.project_id AND g.fingerprint = 'same'`,
      [key],
    );
    for (const idem of [undefined, 'linked-1']) {
      const req = post({ fingerprint: 'same', count: 2 });
      if (idem) req.set('Idempotency-Key', idem);
      const linked = (await req.expect(200)).body;
      expect(linked.ticket).toEqual({ key: 'CHK-42', id: '10042', url: 'https://jira.example.com/browse/CHK-42', status: 'To Do', statusCategory: 'new', route: null });
      expect(linked).toEqual((await app.admin('get', `/api/v1/projects/${key}/groups/same`).expect(200)).body);
    }
  });

  it('merges reports into a resolved group (in code); the first later report regresses it', async () => {
    const { key } = await createProject(app);
    const post = (body: object) => app.admin('post', `/api/v1/projects/${key}/groups`).send(body);
    await post({ fingerprint: 'res', count: 2, attributes: { version: '1.0' } }).expect(201);
    await app.admin('patch', `/api/v1/projects/${key}/groups/res`).send({ state: 'resolved' }).expect(200);
    const res = await post({ groups: [{ fingerprint: 'res', count: 3, attributes: { version: '1.1' } }, { fingerprint: 'res', title: 'later' }] }).expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['regressed', 'updated']);
    const got = (await app.admin('get', `/api/v1/projects/${key}/groups/res`).expect(200)).body;
    expect(got).toMatchObject({ title: 'later', count: 6, state: 'open', regressions: 1, attributes: { version: { '1.0': 2, '1.1': 3 } } });
  });

  it('does not lose counts when concurrent batches overlap', async () => {
    const { key } = await createProject(app);
    const fps = Array.from({ length: 300 }, (_, i) => `o-${i}`);
    const rand = mulberry32(7);
    const expected = new Map<string, number>();
    const batches = Array.from({ length: 12 }, () => {
      const picked = new Set<string>();
      while (picked.size < 150) picked.add(fps[Math.floor(rand() * fps.length)]);
      const groups = [...picked].map((fingerprint) => ({ fingerprint, count: 1 + Math.floor(rand() * 3), attributes: { v: '1' } }));
      for (const g of groups) expected.set(g.fingerprint, (expected.get(g.fingerprint) ?? 0) + g.count);
      return groups;
    });
    const results = await Promise.all(batches.map((groups) => app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups })));
    expect(results.map((r) => r.status)).toEqual(batches.map(() => 200));
    const created = results.flatMap((r) => r.body.results).filter((r: { status: string }) => r.status === 'created');
    expect(created).toHaveLength(expected.size);
    const rows: Array<{ fingerprint: string; count: string; attributes: { v: { '1': number } } }> = await app.dataSource.query(
      `SELECT g.fingerprint, g.count, g.attributes FROM error_groups g JOIN projects p ON p.id = g.project_id WHERE p.key = $1`,
      [key],
    );
    expect(rows).toHaveLength(expected.size);
    for (const r of rows) {
      expect({ fp: r.fingerprint, count: Number(r.count), v: r.attributes.v['1'] }).toEqual({ fp: r.fingerprint, count: expected.get(r.fingerprint), v: expected.get(r.fingerprint) });
    }
  });

  it('stops a remembered ingest token at once when it is rotated or its project deleted, whatever the request', async () => {
    const p = await createProject(app);
    const post = (token: string, body: object, idem?: string) => {
      const r = app.http().post(`/api/v1/projects/${p.key}/groups`).set('Authorization', `Bearer ${token}`);
      if (idem) r.set('Idempotency-Key', idem);
      return r.send(body);
    };
    // Used once, so the guard remembers it.
    await post(p.ingestToken, { fingerprint: 'x' }).expect(201);
    await post(p.ingestToken, { fingerprint: 'x', count: 2 }, 'k-1').expect(200);
    await post(p.ingestToken, { groups: [{ fingerprint: 'x' }] }).expect(200);
    const rotated = (await app.admin('post', `/api/v1/projects/${p.key}/ingest-token`).expect(200)).body.ingestToken;
    const refused = [
      { fingerprint: 'x' }, { groups: [{ fingerprint: 'x' }] }, { groups: ['bad'] }, { fingerprint: '' }, { bogus: 1 }, [],
    ];
    for (const body of refused) expect({ body, status: (await post(p.ingestToken, body)).status }).toEqual({ body, status: 401 });
    expect((await post(p.ingestToken, { fingerprint: 'x', count: 2 }, 'k-1')).status).toBe(401); // no replay either
    expect((await post(p.ingestToken, { fingerprint: 'x' }, 'bad key')).status).toBe(401);
    const other = await createProject(app);
    expect((await app.http().post(`/api/v1/projects/${other.key}/groups`).set('Authorization', `Bearer ${p.ingestToken}`).send({ fingerprint: 'x' })).status).toBe(401);
    expect((await app.admin('get', `/api/v1/projects/${p.key}/groups/x`).expect(200)).body.count).toBe(4);

    await post(rotated, { fingerprint: 'x' }).expect(200);
    await app.http().post(`/api/v1/projects/${other.key}/groups`).set('Authorization', `Bearer ${rotated}`).send({ fingerprint: 'x' }).expect(403);
    await post(rotated, { fingerprint: '' }).expect(400);
    await app.admin('delete', `/api/v1/projects/${p.key}`).expect(204);
    for (const body of refused) expect({ body, status: (await post(rotated, body)).status }).toEqual({ body, status: 401 });
  });

  it('follows a project deleted and created again under the same key (admin token)', async () => {
    const { key } = await createProject(app);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'a' }).expect(201);
    await app.admin('delete', `/api/v1/projects/${key}`).expect(204);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'a' }).expect(404);
    await createProject(app, key);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'a', count: 2 }).expect(201);
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/a`).expect(200)).body.count).toBe(2);
  });
});
