import { addUp } from '@app/modules/ingestion/domain/report-deltas';
import { IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';
import { MAX_ATTRIBUTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/modules/ingest-body/limits';
import { ParsedItem } from '@app/modules/ingest-body/parse-ingest-body';

const NOW = new Date('2026-11-26T12:00:00Z');
const ok = (report: Partial<IngestGroupDto> & { fingerprint: string }): ParsedItem => ({ ok: true, report: report as IngestGroupDto });

describe('addUp: the reports of one request, per fingerprint', () => {
  it('adds counts and histograms, keeps the earliest firstSeen and latest lastSeen, in order of first appearance', () => {
    const deltas = addUp(
      [
        ok({ fingerprint: 'b', count: 2, attributes: { version: { '1.2.0': 2 } }, lastSeen: '2026-11-26T10:00:00Z' }),
        ok({ fingerprint: 'a' }),
        ok({ fingerprint: 'b', count: 3, attributes: { version: [['1.2.0', 1], ['1.3.0', 2]] }, firstSeen: '2026-11-25T08:00:00Z' }),
      ],
      NOW,
    );
    expect(deltas.map((d) => d.fingerprint)).toEqual(['b', 'a']);
    const [b, a] = deltas;
    expect(b).toMatchObject({
      count: 5,
      attributes: { version: { '1.2.0': 3, '1.3.0': 2 } },
      firstSeen: new Date('2026-11-25T08:00:00Z'),
      lastSeen: new Date('2026-11-26T10:00:00Z'),
      complex: false,
    });
    expect(b.reports).toHaveLength(2);
    // No count means one occurrence; no times mean now.
    expect(a).toMatchObject({ count: 1, firstSeen: NOW, lastSeen: NOW, title: null, callstack: null, classifiers: null, link: null });
  });

  it('takes the last non-empty title, callstack, classifiers and link', () => {
    const [d] = addUp(
      [
        ok({ fingerprint: 'f', title: 'First', callstack: ['main'], classifiers: ['SIGSEGV'], link: 'https://errors.example/1' }),
        ok({ fingerprint: 'f', title: '', callstack: [], classifiers: [] }),
        ok({ fingerprint: 'f', title: 'Second', callstack: ['crash', 'main'] }),
      ],
      NOW,
    );
    expect(d).toMatchObject({ title: 'Second', callstack: ['crash', 'main'], classifiers: ['SIGSEGV'], link: 'https://errors.example/1' });
  });

  it('skips refused items', () => {
    expect(addUp([{ ok: false, fingerprint: 'x', errors: ['count must be positive'] }, ok({ fingerprint: 'y' })], NOW).map((d) => d.fingerprint)).toEqual(['y']);
  });

  it('marks a fingerprint whose summed histograms would pass a limit as complex (merged report by report in code)', () => {
    const values = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${from + i}`, 1]));
    const [tooManyValues] = addUp(
      [ok({ fingerprint: 'v', attributes: { version: values(0, MAX_VALUES_PER_ATTRIBUTE) } }), ok({ fingerprint: 'v', attributes: { version: values(MAX_VALUES_PER_ATTRIBUTE, 1) } })],
      NOW,
    );
    expect(tooManyValues.complex).toBe(true);
    expect(tooManyValues.count).toBe(2);

    const names = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${from + i}`, 'x']));
    const [tooManyNames] = addUp([ok({ fingerprint: 'n', attributes: names(0, MAX_ATTRIBUTES) }), ok({ fingerprint: 'n', attributes: names(MAX_ATTRIBUTES, 1) })], NOW);
    expect(tooManyNames.complex).toBe(true);

    const [within] = addUp([ok({ fingerprint: 'w', attributes: names(0, MAX_ATTRIBUTES) }), ok({ fingerprint: 'w', attributes: names(0, MAX_ATTRIBUTES) })], NOW);
    expect(within.complex).toBe(false);
    expect(within.attributes.a0).toEqual({ x: 2 });
  });

  it('marks a report whose histograms pass the byte budget as complex, even alone (trimmed in code)', () => {
    const big = (n: number) => Object.fromEntries(Array.from({ length: MAX_VALUES_PER_ATTRIBUTE }, (_, i) => [`${n}-${i}`.padEnd(1_000, 'x'), 1]));
    const attributes = Object.fromEntries(Array.from({ length: 3 }, (_, n) => [`a${n}`, big(n)]));
    const [alone] = addUp([ok({ fingerprint: 'big', attributes })], NOW);
    expect(alone.complex).toBe(true);
    const [small] = addUp([ok({ fingerprint: 'small', attributes: { a0: big(0) } })], NOW);
    expect(small.complex).toBe(false);
  });
});

describe('addUp: counts by hour', () => {
  const hour = (iso: string) => Date.parse(iso);

  it("counts each report in its lastSeen's hour (firstSeen's, else arrival's, without one), never later than arrival, none older than 30 days", () => {
    const [d] = addUp(
      [
        ok({ fingerprint: 'f', count: 2, firstSeen: '2026-11-01T00:00:00Z', lastSeen: '2026-11-26T10:59:59Z' }),
        ok({ fingerprint: 'f', count: 3, lastSeen: '2026-11-26T10:00:00Z' }),
        ok({ fingerprint: 'f', firstSeen: '2026-11-26T09:30:00Z' }),
        ok({ fingerprint: 'f', count: 4 }),
        ok({ fingerprint: 'f', count: 5, lastSeen: '2026-11-26T18:00:00Z' }),
        ok({ fingerprint: 'f', count: 6, lastSeen: '2026-10-27T12:59:00Z' }),
        ok({ fingerprint: 'f', count: 7, lastSeen: '2026-10-27T13:00:00Z' }),
        ok({ fingerprint: 'f', count: 0, lastSeen: '2026-11-26T08:00:00Z' }),
      ],
      NOW,
    );
    expect(d.count).toBe(28);
    expect(d.hourly).toEqual(
      new Map([
        [hour('2026-11-26T10:00:00Z'), 5],
        [hour('2026-11-26T09:00:00Z'), 1],
        [hour('2026-11-26T12:00:00Z'), 9],
        [hour('2026-10-27T13:00:00Z'), 7],
      ]),
    );
  });
});
