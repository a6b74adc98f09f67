// Building blocks of the fuzz suite (test/e2e/fuzz.e2e-spec.ts): arbitraries for hostile
// input, the request a case sends, and a digest of everything stored for a project.
import fc from 'fast-check';
import type { Test } from 'supertest';
import { jsonTextTooDeep } from '@app/common/http/json-depth';
import { TestApp } from './test-app';

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Strings that have broken parsers, databases and template engines before. */
export const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ufeff', '\u202e', '😀', 'e\u0301', '\r\n', '\t', '%00', '%', '%zz', '../..', '/',
  '{{', '}}', '{{#each x}}', '{{> partial}}', '{{{raw}}}', '{{constructor}}', '{{__proto__}}', '$', '$$', '${', '${}', '$version', '$1',
  '<script>alert(1)</script>', "'; DROP TABLE projects;--", '\\', '"', "'", '`', 'null', 'undefined', 'NaN', '-0', '1e309', '0x10',
  'constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'x'.repeat(257), 'y'.repeat(2049), 'z'.repeat(32_768),
  '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-11-20T24:00:00Z',
  '1970-01-01T00:00:00Z', '2026-11-20T10:00:00+14:00', '2026-11-20T10:00:00.123456789Z', '20261120T100000Z', '2026-W47-1',
  'http://x', 'https://', 'javascript:alert(1)', 'http://[::1]:99999/', 'http://169.254.169.254/latest/meta-data/',
];

/** Any string: short Unicode (lone surrogates and NULs included), ASCII, or a nasty one. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 3 },
  { arbitrary: fc.string({ maxLength: 24 }), weight: 3 },
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 1 },
);

export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 1, 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e9, 1e9 + 1, 1e12, 1e15, 8.64e15, 8.64e15 + 1, 1e20, 1e300, -1e300, 5e-324),
);

/** A JSON value of any type, the odd strings and numbers above included. */
export const junk: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    anyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(anyString, tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** A member name: usually sensible, sometimes not (prototype names included). */
export const anyKey = fc.oneof(fc.constantFrom('x', 'extra', 'fields', '__proto__', 'constructor', 'toString', ''), anyString);

const ABSENT = Symbol('absent');

/** Relative weights of a member being valid, junk or absent in `mutatedRecord`. */
export interface MemberWeights {
  valid?: number;
  junk?: number;
  absent?: number;
}

/**
 * An object with the given members, each one valid (mostly), junk, or absent, and now and
 * then an unknown member: the shape that reaches the deepest validation paths.
 */
export function mutatedRecord(members: Record<string, fc.Arbitrary<unknown>>, weights: MemberWeights = {}): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(members);
  const pick = (valid: fc.Arbitrary<unknown>) =>
    fc.oneof(
      { arbitrary: valid, weight: weights.valid ?? 12 },
      { arbitrary: junk, weight: weights.junk ?? 1 },
      { arbitrary: fc.constant(ABSENT), weight: weights.absent ?? 1 },
    );
  return fc
    .tuple(fc.tuple(...keys.map((k) => pick(members[k]))), fc.option(fc.tuple(anyKey, junk), { freq: 12 }))
    .map(([values, extra]) => {
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        if (values[i] !== ABSENT) out[k] = values[i];
      });
      // defineProperty: a generated "__proto__" becomes a real member, as JSON.parse makes it.
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
      return out;
    });
}

/** Replaces or deletes members at random paths of a JSON value (for realistic payloads). */
export function mutateAt(base: unknown): fc.Arbitrary<unknown> {
  const paths: Array<Array<string | number>> = [];
  const walk = (v: unknown, path: Array<string | number>) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((e, i) => walk(e, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, e] of Object.entries(v)) walk(e, [...path, k]);
  };
  walk(base, []);
  return fc
    .array(fc.tuple(fc.nat({ max: paths.length - 1 }), fc.option(junk, { freq: 4 })), { maxLength: 4 })
    .map((edits) => {
      const copy = structuredClone(base) as Record<string | number, unknown>;
      for (const [at, value] of edits) {
        const path = paths[at];
        if (path.length === 0) continue;
        let parent: any = copy;
        for (const seg of path.slice(0, -1)) parent = parent?.[seg];
        if (!parent || typeof parent !== 'object') continue;
        const last = path[path.length - 1];
        if (value === null && !Array.isArray(parent)) delete parent[last];
        else parent[last] = value;
      }
      return copy;
    });
}

/** The shape of a huge attribute set (what a failure report prints instead of megabytes). */
export interface AttributeSetShape {
  names: number;
  values: number;
  width: number;
  pad: string;
  salt: string;
  shape: 'histogram' | 'pairs' | 'scalar' | 'mixed';
  count: number;
  round: number;
}

/** Bytes a generated set may take on the wire: under the 5 MB body limit, so most sets are read. */
const ATTRIBUTE_SET_BYTES = 4_500_000;

/**
 * The shape of report attributes at and past every limit: up to 250 names (some 128 characters
 * long), up to 150 values each, values up to 1,025 characters padded with characters that escape
 * or take several bytes, in the three accepted shapes, one odd string among them. `round` repeats
 * values across cases, so stored counts add up as well as fold. A shape, not the megabytes it
 * makes (buildAttributeSet), so that a failure prints in a few lines.
 */
export const hugeAttributeSet: fc.Arbitrary<AttributeSetShape> = fc.record({
  names: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(199, 200, 201, 250)),
  values: fc.oneof(fc.integer({ min: 1, max: 150 }), fc.constantFrom(99, 100, 101)),
  width: fc.oneof(fc.integer({ min: 1, max: 1_024 }), fc.constantFrom(1_024, 1_025)),
  pad: fc.constantFrom('x', 'é', '😀', '"', '\\', '\n', '\u0001'),
  salt: anyString,
  shape: fc.constantFrom('histogram' as const, 'pairs' as const, 'scalar' as const, 'mixed' as const),
  count: fc.oneof(fc.nat({ max: 1_000 }), fc.constant(1e9)),
  round: fc.nat({ max: 3 }),
});

/** The attributes of a report of that shape, under about 4.5 MB on the wire. */
export function buildAttributeSet(p: AttributeSetShape): Record<string, unknown> {
  const valueBytes = (p.width * (Buffer.byteLength(JSON.stringify(p.pad)) - 2)) / p.pad.length + 20;
  const perName = Math.max(1, Math.min(p.values, Math.floor(ATTRIBUTE_SET_BYTES / (p.names * valueBytes))));
  const count = (i: number) => (i % 10 === 0 ? p.count : i);
  const out: Record<string, unknown> = {};
  for (let n = 0; n < p.names; n++) {
    const values = Array.from({ length: perName }, (_, i) => `${n === 0 && i === 0 ? p.salt : ''}${p.round}-${n}-${i}-`.padEnd(p.width, p.pad));
    const shape = p.shape === 'mixed' ? (['histogram', 'pairs', 'scalar'] as const)[n % 3] : p.shape;
    const name = `a${n}-`.padEnd(n % 5 === 0 ? 128 : 4, p.pad);
    const member =
      shape === 'scalar' ? values[0] : shape === 'pairs' ? [...values.map((v, i) => [v, count(i)]), [values[0], 1]] : Object.fromEntries(values.map((v, i) => [v, count(i)]));
    Object.defineProperty(out, name, { value: member, enumerable: true, configurable: true, writable: true });
  }
  return out;
}

/** encodeURIComponent, which throws on a lone surrogate: that one is sent as its raw UTF-8 bytes. */
export function encodePathSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return Array.from(Buffer.from(s, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
}

/** Header values Node will send (visible Latin-1, tab and space). */
export const headerValue = fc.string({ unit: fc.constantFrom(...'\t !"#%&()*+,-./0123456789:;<=>?@AZaz[\\]^_`{|}~\u00a0\u00e9\u00ff'.split('')), maxLength: 300 });

/** A body as it goes on the wire, with its Content-Type. */
export type WireBody = { contentType: string; payload: string | Buffer | object | undefined };

/**
 * Mostly `value` as JSON; sometimes broken JSON (truncated, trailing garbage, invalid UTF-8),
 * an empty body, another content type, or an unsupported charset.
 */
export function onTheWire(value: fc.Arbitrary<unknown>): fc.Arbitrary<WireBody> {
  const json = 'application/json';
  return fc.oneof(
    { arbitrary: value.map((v): WireBody => ({ contentType: json, payload: JSON.stringify(v) ?? 'null' })), weight: 16 },
    { arbitrary: fc.tuple(value, fc.nat()).map(([v, n]): WireBody => {
      const text = JSON.stringify(v) ?? '';
      return { contentType: json, payload: text.slice(0, text.length ? n % text.length : 0) };
    }), weight: 1 },
    { arbitrary: fc.tuple(value, anyString).map(([v, s]): WireBody => ({ contentType: json, payload: `${JSON.stringify(v)}${s}` })), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b): WireBody => ({ contentType: json, payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, ...b]) })), weight: 1 },
    { arbitrary: fc.constantFrom<WireBody>(
      { contentType: json, payload: '' },
      { contentType: json, payload: '{"a":1e999999}' },
      { contentType: json, payload: '{"__proto__":{"polluted":true}}' },
      { contentType: json, payload: '[' .repeat(5000) },
      // Nested past the cap (64 levels): refused before they are parsed.
      { contentType: json, payload: '['.repeat(65) + ']'.repeat(65) },
      { contentType: json, payload: `{"fingerprint":"deep","attributes":{"v":${'['.repeat(70)}${']'.repeat(70)}}}` },
      { contentType: json, payload: '{"a":'.repeat(40_000) + '1' + '}'.repeat(40_000) },
      { contentType: 'text/plain', payload: '{"fingerprint":"x"}' },
      { contentType: 'application/x-www-form-urlencoded', payload: 'fingerprint=x&state=open&groups=1' },
      { contentType: 'application/json; charset=utf-16', payload: '{}' },
      { contentType: 'application/json; charset=latin1', payload: '{}' },
      { contentType: 'application/xml', payload: '<a/>' },
    ), weight: 1 },
    { arbitrary: junk.map((v): WireBody => ({ contentType: json, payload: JSON.stringify(v) ?? 'null' })), weight: 2 },
  );
}

/**
 * Whether the body parser reads the body as JSON (an object or array, UTF-8, not nested past the cap): only then do
 * authentication and validation get to see the request; otherwise the parser answers 4xx first.
 */
export function readableJson(body: WireBody): boolean {
  if (body.contentType !== 'application/json' || typeof body.payload !== 'string' || body.payload.trim() === '') return false;
  if (jsonTextTooDeep(Buffer.from(body.payload, 'utf8'))) return false; // refused before it is parsed
  try {
    const v: unknown = JSON.parse(body.payload);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}

/** Sends a WireBody with supertest. */
export function send(req: Test, body: WireBody): Test {
  const r = req.set('Content-Type', body.contentType);
  if (body.payload === undefined) return r;
  return r.send(body.payload as string);
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

/** Cases per endpoint: FUZZ_RUNS (npm run test:fuzz sets 2,000), else a few hundred. */
export const fuzzRuns = (): number => {
  const n = Number(process.env.FUZZ_RUNS ?? 200);
  return Number.isInteger(n) && n > 0 ? n : 200;
};

/** npm test's seed: the same cases every run. `npm run test:fuzz` sets FUZZ_SEED=random to explore. */
const DEFAULT_SEED = 20261126;

const fuzzSeed = (): number | undefined => {
  const raw = process.env.FUZZ_SEED;
  if (raw === 'random') return undefined; // fast-check draws one and prints it on failure
  return raw ? Number(raw) : DEFAULT_SEED;
};

/**
 * fast-check parameters. `examples` run first, every time (inputs that broke the service
 * once); FUZZ_SEED and FUZZ_PATH replay a failure fast-check reported; FUZZ_NO_SHRINK=1
 * reports the first failing input as it is.
 */
export function fuzzParameters<T>(examples: T[] = []): fc.Parameters<[T]> {
  return {
    numRuns: fuzzRuns(),
    seed: fuzzSeed(),
    path: process.env.FUZZ_PATH || undefined,
    endOnFailure: process.env.FUZZ_NO_SHRINK === '1',
    examples: examples.map((e): [T] => [e]),
  };
}

// ---------------------------------------------------------------------------------------------
// Stored state
// ---------------------------------------------------------------------------------------------

let projectTables: Promise<string[]> | undefined;

/** Every table with a project_id column (new tables are covered without touching this file). */
function tablesOfProjects(app: TestApp): Promise<string[]> {
  projectTables ??= app.dataSource
    .query(`SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'project_id' ORDER BY table_name`)
    .then((rows: Array<{ table_name: string }>) => rows.map((r) => r.table_name));
  return projectTables;
}

/**
 * A digest per table of everything stored for a project (and the project row itself).
 * `ignoreActivity`: activity kinds a refused request is expected to add (rejected webhooks;
 * their count in `webhook_rejections` goes with `webhook.rejected`).
 */
export async function storedDigest(app: TestApp, projectId: string, ignoreActivity: string[] = []): Promise<Record<string, string>> {
  const tables = (await tablesOfProjects(app)).filter((t) => t !== 'webhook_rejections' || !ignoreActivity.includes('webhook.rejected'));
  const parts = [
    `SELECT 'projects' AS t, md5(coalesce(string_agg(x::text, '|'), '')) AS h FROM projects x WHERE x.id = $1`,
    ...tables.map(
      (t) =>
        `SELECT '${t}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) || ':' || count(*) AS h FROM "${t}" x WHERE x.project_id = $1` +
        (t === 'activity' ? ` AND x.kind <> ALL($2::text[])` : ` AND cardinality($2::text[]) >= 0`),
    ),
  ];
  const rows: Array<{ t: string; h: string }> = await app.dataSource.query(parts.join(' UNION ALL '), [projectId, ignoreActivity]);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

/**
 * Waits until the project has no job left to run, and returns the jobs that failed (a failed
 * job is a bug the fuzzing found: "<kind>: <error>"). A failed job is taken out of the retry
 * cycle (marked failed) so that its retries cannot change what later cases compare.
 */
export async function quiesce(app: TestApp, projectId: string, timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const failures: string[] = [];
  for (;;) {
    const rows: Array<{ id: string; kind: string; status: string; last_error: string | null }> = await app.dataSource.query(
      `SELECT id, kind, status, last_error FROM outbox WHERE project_id = $1 AND status IN ('pending', 'queued', 'processing')`,
      [projectId],
    );
    const failed = rows.filter((r) => r.last_error !== null && r.status !== 'processing');
    if (failed.length > 0) {
      await app.dataSource.query(`UPDATE outbox SET status = 'failed', finished_at = now() WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'queued')`, [failed.map((r) => r.id)]);
      failures.push(...failed.map((r) => `${r.kind}: ${r.last_error}`));
      continue;
    }
    if (rows.length === 0) return failures;
    if (Date.now() > deadline) throw new Error(`jobs still unfinished after ${timeoutMs} ms: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** `quiesce`, for endpoints that must not start failing jobs at all. */
export async function quiesceStrict(app: TestApp, projectId: string): Promise<void> {
  const failures = await quiesce(app, projectId);
  if (failures.length > 0) throw new Error(`a job failed: ${failures.join('; ')}`);
}
