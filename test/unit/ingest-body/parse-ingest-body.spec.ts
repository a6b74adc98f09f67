import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import fc from 'fast-check';
import { ParsedItem, parseIngestBody } from '@app/modules/ingest-body/parse-ingest-body';
import { IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';
import { malformedGroups } from '../../fixtures/malformed-groups';

/**
 * The reference: how items were validated before the hand-written validator
 * (class-transformer + class-validator on the decorated IngestGroupDto). The fast
 * one must answer every input the same way: same verdict, same messages in the
 * same order, same report.
 */
function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const own = Object.values(e.constraints ?? {}).map((m) => (prefix ? `${prefix}${m}` : m));
    return [...own, ...messages(e.children ?? [], `${prefix}${e.property}.`)];
  });
}

function referenceItem(raw: unknown): ParsedItem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, fingerprint: null, errors: ['body must be an object'] };
  const report = plainToInstance(IngestGroupDto, raw, { enableImplicitConversion: false });
  const errors = validateSync(report, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  const fp = (raw as { fingerprint?: unknown }).fingerprint;
  const fingerprint = typeof fp === 'string' ? fp.slice(0, 256) : null;
  if (errors.length > 0) return { ok: false, fingerprint, errors: messages(errors) };
  if (report.firstSeen && report.lastSeen && Date.parse(report.firstSeen) > Date.parse(report.lastSeen)) {
    return { ok: false, fingerprint, errors: ['firstSeen must not be after lastSeen'] };
  }
  return { ok: true, report };
}

function fastItem(raw: unknown): ParsedItem {
  const parsed = parseIngestBody(raw);
  if (parsed.batch) throw new Error('not a single item');
  return parsed.item;
}

/** Compares as JSON (the reference's report is an IngestGroupDto instance). */
const plain = (x: ParsedItem) => JSON.parse(JSON.stringify(x));

function expectSame(raw: unknown): void {
  let expected: ParsedItem;
  try {
    expected = referenceItem(raw);
  } catch {
    // class-transformer throws on a nested own "constructor" key (a 500 before); the
    // fast path must at least not throw.
    expect(() => fastItem(raw)).not.toThrow();
    return;
  }
  expect({ raw, result: plain(fastItem(raw)) }).toEqual({ raw, result: plain(expected) });
}

const specialKeys = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'toLocaleString'];
const lengthy = (n: number) => fc.constantFrom('x'.repeat(n), 'é'.repeat(n), '😀'.repeat(Math.max(1, n >> 1)), '\uFE0F'.repeat(n));
const str = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), lengthy(0), lengthy(1), lengthy(200), lengthy(201), lengthy(256), lengthy(257), lengthy(1000), lengthy(1001), lengthy(2000), lengthy(2001), lengthy(2049));
const scalar = fc.oneof(str, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const json = fc.jsonValue({ maxDepth: 3 });
const count = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 1, 1.5, -1, 1e9, 1e9 + 1, 1e12, Number.MAX_SAFE_INTEGER), fc.constant('3'), fc.constant(null), json);
const iso = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-11-20T10:00:00Z', '2026-11-20', '2026-02-29T00:00:00Z', '2024-02-29', '2026-13-45T00:00:00Z', 'yesterday', '2026-11-20T10:00:00+02:00', '20261120T100000Z', ''),
  json,
);
const link = fc.oneof(fc.webUrl(), fc.constantFrom('https://errors.example.com/x', 'http://localhost:3000/a', 'ftp://a.b/c', 'javascript:alert(1)', 'not a url', 'https://' + 'a'.repeat(2050) + '.com'), json);
const attrName = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...specialKeys, '', 'x'.repeat(129), 'version'));
const attrValue = fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom(...specialKeys, 'v'.repeat(1025), '(other)'));
const histCount = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 1.5, 1e9, 1e9 + 1, 'many'), json);
const histogram = fc.oneof(
  fc.dictionary(attrValue, histCount, { maxKeys: 4 }),
  fc.array(fc.oneof(fc.tuple(fc.oneof(attrValue, fc.integer(), fc.boolean()), histCount), fc.array(json, { maxLength: 3 }), json), { maxLength: 4 }),
  scalar,
  json,
);
const attributes = fc.oneof(fc.dictionary(attrName, histogram, { maxKeys: 5 }), json);
const strings = (maxLen: number) => fc.oneof(fc.array(fc.oneof(str, json), { maxLength: 4 }), fc.array(fc.constant('f'), { minLength: maxLen, maxLength: maxLen + 1 }), json);

const field = fc.oneof(
  fc.tuple(fc.constant('title'), fc.oneof(str, json)),
  fc.tuple(fc.constant('callstack'), strings(500)),
  fc.tuple(fc.constant('classifiers'), strings(100)),
  fc.tuple(fc.constant('count'), count),
  fc.tuple(fc.constant('firstSeen'), iso),
  fc.tuple(fc.constant('lastSeen'), iso),
  fc.tuple(fc.constant('attributes'), attributes),
  fc.tuple(fc.constant('link'), link),
  fc.tuple(fc.oneof(fc.constantFrom(...specialKeys, 'bogus', 'groupz'), fc.string({ maxLength: 6 })), json),
);
const item = fc
  .tuple(fc.option(fc.oneof(str, json), { nil: undefined }), fc.array(field, { maxLength: 6 }))
  // Through JSON text, as the body parser builds it (own "__proto__" keys included).
  .map(([fingerprint, fields]) =>
    `{${[...(fingerprint === undefined ? [] : [['fingerprint', fingerprint] as [string, unknown]]), ...fields]
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`)
      .join(',')}}`,
  )
  .map((text) => JSON.parse(text) as unknown);

describe('parseIngestBody (hand-written validator)', () => {
  it('answers generated items exactly like class-validator on IngestGroupDto', () => {
    fc.assert(fc.property(item, (raw) => expectSame(raw)), { numRuns: 4_000 });
  });

  it('answers the bad-input catalogue like class-validator', () => {
    const cases: unknown[] = [
      ...malformedGroups('stable'),
      { bogus: 1, fingerprint: 5, zzz: 2, title: 5, link: 5, count: 'x', callstack: [1], classifiers: 'c' },
      JSON.parse('{"fingerprint":"x","__proto__":{"a":1},"toString":1,"constructor":2}'),
      JSON.parse('{"fingerprint":"x","attributes":{"toString":"a","v":{"valueOf":3,"a":1},"__proto__":{"b":1}}}'),
      { fingerprint: 'ok', title: 'T', callstack: ['a', 'b'], classifiers: ['c'], count: 3, firstSeen: '2026-11-20T10:00:00Z', lastSeen: '2026-11-24T09:00:00Z',
        attributes: { version: { '2.4.0': 10 }, platform: [['Linux', 2]], host: 'web-1', build: 7, flag: true }, link: 'https://errors.example.com/x' },
    ];
    for (const c of cases) expectSame(c);
  });

  it('does not throw on a nested "constructor" key (class-transformer did: a 500)', () => {
    const parsed = fastItem(JSON.parse('{"fingerprint":"x","attributes":{"constructor":"a","v":{"constructor":3,"b":1}}}'));
    expect(parsed).toEqual({ ok: true, report: { fingerprint: 'x', attributes: { v: { b: 1 } } } });
  });

  it('labels a non-object batch item by its index', () => {
    const parsed = parseIngestBody({ groups: [{ fingerprint: 'a' }, 'nope'] });
    expect(parsed).toEqual({ batch: true, items: [{ ok: true, report: { fingerprint: 'a' } }, { ok: false, fingerprint: null, errors: ['groups[1] must be an object'] }] });
  });
});
