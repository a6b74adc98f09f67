// The byte budget of a group's attribute histograms: a group fed huge reports stays small, so
// every later report costs what it costs on a fresh group.
import { MAX_ATTRIBUTES_BYTES } from '@app/database/entities';
import { FOLD_TARGET_BYTES } from '@app/modules/ingest-body/attribute-budget';
import { createProject, projectIdOf, startTestApp, TestApp } from '../support/test-app';

type Histograms = Record<string, Record<string, number>>;

/** About `names` × 100 KB: 100 values of 1,000 characters per attribute, each counted once, and a common one. */
function hugeAttributes(round: string, names: number): Histograms {
  const out: Histograms = {};
  for (let n = 0; n < names; n++) {
    const h: Record<string, number> = { common: 1_000 };
    for (let i = 0; i < 99; i++) h[`${round}-${n}-${i}-`.padEnd(1_000, 'v')] = 1;
    out[`attr-${n}`] = h;
  }
  return out;
}

const total = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);

describe('group attribute budget', () => {
  let app: TestApp;
  let key: string;
  let token: string;
  let projectId: string;
  const post = (body: unknown) => app.http().post(`/api/v1/projects/${key}/groups`).set('Authorization', `Bearer ${token}`).send(body as object);
  const stored = async (fp: string): Promise<{ bytes: number; attributes: Histograms }> => {
    const [row] = await app.dataSource.query(`SELECT octet_length(attributes::text) AS bytes, attributes FROM error_groups WHERE project_id = $1 AND fingerprint = $2`, [projectId, fp]);
    return { bytes: Number(row.bytes), attributes: row.attributes };
  };
  const foldEntries = async (fp: string) =>
    (await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=${fp}&kind=attributes.folded`).expect(200)).body as Array<{ detail: string; data: { attributes: string[]; more: number } }>;

  beforeAll(async () => {
    app = await startTestApp();
    ({ key, ingestToken: token } = await createProject(app));
    projectId = await projectIdOf(app, key);
  });
  afterAll(() => app.stop());

  it('keeps a group fed three ~4 MB reports of new values within the budget, counts intact, naming each folded attribute once', async () => {
    const names = 40;
    for (const [round, status] of [['a', 201], ['b', 200], ['c', 200]] as const) {
      const attributes = hugeAttributes(round, names);
      expect(JSON.stringify({ fingerprint: 'huge', attributes }).length).toBeGreaterThan(3_900_000);
      await post({ fingerprint: 'huge', attributes }).expect(status);
      expect((await stored('huge')).bytes).toBeLessThanOrEqual(MAX_ATTRIBUTES_BYTES);
    }
    const { bytes, attributes } = await stored('huge');
    expect(bytes).toBeLessThanOrEqual(FOLD_TARGET_BYTES);
    expect(Object.keys(attributes)).toHaveLength(names);
    for (const h of Object.values(attributes)) {
      expect(h.common).toBe(3_000); // the most counted value stays
      expect(total(h)).toBe(3 * (1_000 + 99)); // the dropped ones are counted in "(other)"
      expect(h['(other)']).toBeGreaterThan(0);
    }
    // Each attribute is named once, by the report that first folded it.
    const entries = await foldEntries('huge');
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries.reduce((n, e) => n + e.data.attributes.length + e.data.more, 0)).toBe(names);
    expect(entries[entries.length - 1].data.attributes).toContain('attr-0');
    expect(entries[0].detail).toContain('(other)');
    // Folding again says nothing new.
    await post({ fingerprint: 'huge', attributes: hugeAttributes('d', names) }).expect(200);
    expect(await foldEntries('huge')).toHaveLength(entries.length);

    // The next small report finds a group of bounded size, as a fresh group would be.
    const res = await post({ fingerprint: 'huge', attributes: { version: '2.0.0', 'attr-0': 'common' } }).expect(200);
    expect(res.body.attributes.version).toEqual({ '2.0.0': 1 });
    expect(res.body.attributes['attr-0'].common).toBe(4_001);
    expect((await stored('huge')).bytes).toBeLessThanOrEqual(FOLD_TARGET_BYTES + 100);
    expect(await foldEntries('huge')).toHaveLength(entries.length);
  });

  it('trims huge reports in a batch and in an idempotent request alike', async () => {
    const res = await post({ groups: [{ fingerprint: 'batch-1', attributes: hugeAttributes('d', 15) }, { fingerprint: 'batch-2', attributes: hugeAttributes('e', 15) }] }).expect(200);
    expect(res.body.results).toEqual([{ fingerprint: 'batch-1', status: 'created' }, { fingerprint: 'batch-2', status: 'created' }]);
    await post({ fingerprint: 'keyed', attributes: hugeAttributes('f', 30) }).set('Idempotency-Key', 'budget-1').expect(201);
    for (const fp of ['batch-1', 'batch-2', 'keyed']) {
      expect((await stored(fp)).bytes).toBeLessThanOrEqual(FOLD_TARGET_BYTES);
      expect((await foldEntries(fp)).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('trims a group stored above the budget (by an earlier version) on its next report', async () => {
    await post({ fingerprint: 'legacy', attributes: { os: 'Linux' } }).expect(201);
    // What the old caps let a group reach: 1,000 values per attribute, megabytes in all.
    const old: Histograms = {};
    for (let n = 0; n < 3; n++) old[`attr-${n}`] = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`${n}-${i}-`.padEnd(1_000, 'w'), i + 1]));
    await app.dataSource.query(`UPDATE error_groups SET attributes = $3::jsonb WHERE project_id = $1 AND fingerprint = $2`, [projectId, 'legacy', JSON.stringify(old)]);
    expect((await stored('legacy')).bytes).toBeGreaterThan(2_000_000);

    await post({ fingerprint: 'legacy' }).expect(200);
    const { bytes, attributes } = await stored('legacy');
    expect(bytes).toBeLessThanOrEqual(FOLD_TARGET_BYTES);
    for (let n = 0; n < 3; n++) {
      const h = attributes[`attr-${n}`];
      expect(total(h)).toBe(total(old[`attr-${n}`]));
      expect(h[`${n}-999-`.padEnd(1_000, 'w')]).toBe(1_000);
    }
    expect((await foldEntries('legacy'))[0].data.attributes).toEqual(['attr-0', 'attr-1', 'attr-2']);
  });
});
