import * as fc from 'fast-check';
import {
  MAX_COMPONENTS,
  compareParsed,
  compareVersions,
  extractVersion,
  isAtLeast,
  lowestVersion,
  type ParsedVersion,
} from '@app/common/versions';

type Expected = -1 | 0 | 1 | null;

const pairs: Array<[string, string, Expected]> = [
  // plain semver
  ['1.0.0', '1.0.0', 0],
  ['1.0.0', '1.0.1', -1],
  ['1.2.0', '1.1.9', 1],
  ['2.0.0', '10.0.0', -1],
  ['1.10.0', '1.9.0', 1],
  // missing components count as 0
  ['2.4', '2.4.0', 0],
  ['2', '2.0.0', 0],
  ['2.4', '2.4.1', -1],
  ['1.10', '1.9', 1],
  ['3', '2.99.99', 1],
  // pre-releases
  ['2.4.1-rc.2', '2.4.1', -1],
  ['2.4.1', '2.4.1-rc.2', 1],
  ['2.4.1-rc.2', '2.4.1-rc.10', -1],
  ['2.4.1-alpha', '2.4.1-beta', -1],
  ['2.4.1-alpha', '2.4.1-alpha.1', -1],
  ['2.4.1-RC1', '2.4.1-rc1', 0],
  ['2.4.1-rc.2', '2.4.0', 1],
  ['2.4-rc.1', '2.4.0', -1],
  ['1.0-SNAPSHOT', '1.0', -1],
  ['2.4.1-rc.02', '2.4.1-rc.2', 0], // not semver (leading zero) → dotted rules, numeric identifiers
  // build metadata is ignored
  ['2.4.1+build.7', '2.4.1', 0],
  ['2.4.1+1', '2.4.1+2', 0],
  // text around the version
  ['v2.4.1', '2.4.1', 0],
  ['V2.4.1', 'v2.4.2', -1],
  ['Release 2.4.1', 'v2.4.0', 1],
  ['Release 2.4.1', 'release-2.4.1', 0],
  ['App 3.0 (hotfix)', '3.0.1', -1],
  ['2.3.9 backport', '2.4.1', -1],
  ['Release 2.4.1 (build 1873)', '2.4.1', 0],
  ['build 1873', 'build 1874', -1],
  ['build 1873', '2.4.1', 1],
  ['2.4.1 beta', '2.4.1', 0],
  // calendar / dotted (non-semver) versions
  ['2024.11.3', '2024.12', -1],
  ['2024.12', '2024.11.3', 1],
  ['2024.11.3', '2024.11.3', 0],
  ['1.2.3.4', '1.2.3', 1],
  ['1.2.3.0', '1.2.3', 0],
  ['1.2.3.4', '1.2.4', -1],
  ['1.2.3.4-rc.1', '1.2.3.4', -1],
  ['1.2.3.10', '1.2.3.9', 1],
  ['007.1', '7.1', 0],
  ['99999999999999999999.1', '99999999999999999998.9', 1], // beyond 2^53: exact digit comparison
  // not comparable
  ['', '1.0.0', null],
  ['1.0.0', '', null],
  ['Backlog', '2.4.1', null],
  ['2.4.1', 'next release', null],
  ['no digits', 'none either', null],
];

describe('compareVersions (table)', () => {
  it('has at least 40 pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40);
  });

  it.each(pairs)('compare(%j, %j) = %p', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    // antisymmetry: swapping the arguments flips the sign
    const swapped = expected === null ? null : expected === 0 ? 0 : -expected;
    expect(compareVersions(b, a)).toBe(swapped);
  });
});

describe('isAtLeast', () => {
  it.each<[string, string, boolean | null]>([
    ['2.4.1', '2.4.1', true],
    ['2.5.0', '2.4.1', true],
    ['2.4.0', '2.4.1', false],
    ['2.4.1-rc.1', '2.4.1', false],
    ['2.4.1', 'Release 2.4.1', true],
    ['2024.12.1', '2024.11', true],
    ['unknown', '2.4.1', null],
    ['2.4.1', '', null],
  ])('isAtLeast(%j, %j) = %p', (reported, until, expected) => {
    expect(isAtLeast(reported, until)).toBe(expected);
  });
});

describe('extractVersion', () => {
  it.each<[string, string | null, string[] | null, string | null]>([
    // name, raw, components, prerelease
    ['v2.4.1', '2.4.1', ['2', '4', '1'], null],
    ['Release 2.4.1', '2.4.1', ['2', '4', '1'], null],
    ['2.4.1-rc.2', '2.4.1-rc.2', ['2', '4', '1'], 'rc.2'],
    ['2.4.1-RC.2', '2.4.1-RC.2', ['2', '4', '1'], 'rc.2'],
    ['2024.11.3', '2024.11.3', ['2024', '11', '3'], null],
    ['build 1873', '1873', ['1873'], null],
    ['App 3.0 (hotfix)', '3.0', ['3', '0'], null],
    ['2.4', '2.4', ['2', '4'], null],
    ['Release 2.4.1 (build 1873)', '2.4.1', ['2', '4', '1'], null],
    ['build 1873 / 2.4.1', '2.4.1', ['2', '4', '1'], null], // dotted beats bare
    ['Win10 release 7', '7', ['7'], null], // free beats glued to a word
    ['x86_64 build 5', '5', ['5'], null],
    ['Release-v2', '2', ['2'], null],
    ['2024-11-03', '2024', ['2024'], null], // "-<digit>" is not a pre-release
    ['1.0.0-alpha+001', '1.0.0-alpha+001', ['1', '0', '0'], 'alpha'],
    ['  2.4.1  ', '2.4.1', ['2', '4', '1'], null],
    ['007.010', '007.010', ['7', '10'], null],
    ['', null, null, null],
    ['Backlog', null, null, null],
    ['v', null, null, null],
  ])('extractVersion(%j)', (name, raw, components, prerelease) => {
    const parsed = extractVersion(name);
    if (raw === null) {
      expect(parsed).toBeNull();
      return;
    }
    expect(parsed).not.toBeNull();
    expect(parsed!.raw).toBe(raw);
    expect(parsed!.components).toEqual(components);
    expect(parsed!.prerelease).toBe(prerelease);
  });

  it('exposes the coerced semver form where there is one', () => {
    expect(extractVersion('v2.4')!.semver).toBe('2.4.0');
    expect(extractVersion('2.4-rc.1')!.semver).toBe('2.4.0-rc.1');
    expect(extractVersion('1.2.3.4')!.semver).toBeNull();
    expect(extractVersion('1.0.0+build.5')!.build).toBe('build.5');
  });

  it('does not throw on non-string input at runtime', () => {
    expect(extractVersion(undefined as unknown as string)).toBeNull();
    expect(compareVersions(null as unknown as string, '1.0')).toBeNull();
  });
});

describe('lowestVersion', () => {
  it('picks the lowest parsable version', () => {
    expect(lowestVersion(['2.4.1', '2.3.9 backport'])).toEqual({ name: '2.3.9 backport', version: '2.3.9' });
  });

  it('skips names without a version', () => {
    expect(lowestVersion(['Backlog', 'v3.0', 'Release 2.10', 'Release 2.9'])).toEqual({
      name: 'Release 2.9',
      version: '2.9',
    });
  });

  it('ranks pre-releases below releases', () => {
    expect(lowestVersion(['2.4.1', '2.4.1-rc.1'])).toEqual({ name: '2.4.1-rc.1', version: '2.4.1-rc.1' });
  });

  it('keeps the first of equal versions', () => {
    expect(lowestVersion(['v2.4', '2.4.0'])).toEqual({ name: 'v2.4', version: '2.4' });
  });

  it('returns null when nothing parses', () => {
    expect(lowestVersion([])).toBeNull();
    expect(lowestVersion(['Backlog', 'Next'])).toBeNull();
  });
});

describe('absurd input', () => {
  const fast = (fn: () => void, ms = 200): void => {
    const start = process.hrtime.bigint();
    fn();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    expect(elapsed).toBeLessThan(ms);
  };

  it('handles a 1,000-character name quickly', () => {
    const names = [
      'x'.repeat(1000),
      'a1'.repeat(500),
      '1.'.repeat(500),
      '9'.repeat(1000),
      `${'release '.repeat(125)}2.4.1`,
      `1.2.3-${'a.'.repeat(497)}`,
      `1-${'a-'.repeat(499)}`,
      `${'.'.repeat(999)}1`,
    ];
    for (const name of names) {
      expect(name.length).toBeGreaterThanOrEqual(999);
      fast(() => {
        for (let i = 0; i < 100; i++) {
          extractVersion(name);
          compareVersions(name, '2.4.1');
        }
      });
    }
    expect(extractVersion(`${'release '.repeat(125)}2.4.1`)!.raw).toBe('2.4.1');
    expect(compareVersions('9'.repeat(1000), '9'.repeat(999))).toBe(1);
    expect(extractVersion(`1.2.3-${'a.'.repeat(497)}`)!.prerelease!.length).toBeLessThanOrEqual(64);
  });

  it('handles a 1,000,000-character name (only a prefix is scanned)', () => {
    fast(() => expect(extractVersion('1.'.repeat(500_000))).not.toBeNull(), 500);
    expect(extractVersion(`${'x'.repeat(1_000_000)} 2.4.1`)).toBeNull();
  });

  it('handles 12 components (dotted order) and caps very long ones', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => String(i + 1)).join('.');
    fast(() => {
      expect(extractVersion(twelve)!.components).toHaveLength(12);
      expect(compareVersions(twelve, `${twelve}.0`)).toBe(0);
      expect(compareVersions(twelve, twelve.replace(/12$/, '13'))).toBe(-1);
      expect(compareVersions(twelve, '1.2.3')).toBe(1);
    });
    const many = Array.from({ length: 300 }, () => '1').join('.');
    const parsed = extractVersion(many)!;
    expect(parsed.components).toHaveLength(MAX_COMPONENTS);
    // differences beyond the cap are ignored (documented)
    expect(compareVersions(many, `${many}.5`)).toBe(0);
  });
});

describe('order properties', () => {
  const ident = fc.oneof(
    fc.integer({ min: 0, max: 30 }).map(String),
    fc.constantFrom('alpha', 'beta', 'rc', 'RC', 'snapshot', 'pre'),
  );
  const version = fc
    .record({
      comps: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 5 }),
      pre: fc.option(fc.tuple(fc.constantFrom('alpha', 'beta', 'rc'), fc.array(ident, { maxLength: 2 })), {
        nil: undefined,
      }),
      prefix: fc.constantFrom('', 'v', 'Release ', 'build '),
    })
    .map(({ comps, pre, prefix }) => `${prefix}${comps.join('.')}${pre ? `-${[pre[0], ...pre[1]].join('.')}` : ''}`);

  it('is antisymmetric and transitive, mixing semver and dotted paths', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        const ab = compareVersions(a, b)!;
        expect(compareVersions(b, a)).toBe(ab === 0 ? 0 : -ab);
        const bc = compareVersions(b, c)!;
        if (ab <= 0 && bc <= 0) expect(compareVersions(a, c)! <= 0).toBe(true);
        if (ab >= 0 && bc >= 0) expect(compareVersions(a, c)! >= 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('semver and dotted rules agree where both apply', () => {
    const dotted = (p: ParsedVersion): ParsedVersion => ({ ...p, semver: null });
    fc.assert(
      fc.property(version, version, (a, b) => {
        const pa = extractVersion(a)!;
        const pb = extractVersion(b)!;
        expect(compareParsed(dotted(pa), dotted(pb))).toBe(compareParsed(pa, pb));
      }),
      { numRuns: 2000 },
    );
  });
});
