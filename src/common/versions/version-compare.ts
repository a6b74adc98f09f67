/**
 * # Version comparison
 *
 * Pure helpers used by fix-version sync and regression detection (docs/behaviour.md,
 * "Fix versions and regressions"). Jira fix-version names and error-report
 * `version` attribute values are free text, so every function first *extracts*
 * the version inside a name and then compares the extracted versions.
 *
 * ## Extraction (`extractVersion`)
 * - Only the first {@link MAX_SCAN_CHARS} characters of a name are scanned.
 * - A candidate is a run of digits with optional `.digits` parts (`2`, `2.4`,
 *   `2024.11.3`), optionally followed directly by a pre-release `-tag` whose
 *   first character is a letter (`-rc.2`, `-beta`, `-SNAPSHOT`) and by build
 *   metadata `+meta` (`+build.7`), as in semver.
 *   A `-` followed by a digit is not a pre-release (`2024-11-03` is not
 *   `2024` with pre-release `11-03`); a space-separated word is not one either
 *   (`2.4.1 beta` is plain `2.4.1`).
 * - When a name holds several candidates, the choice is, in order:
 *   1. a dotted candidate (`x.y…`) beats a bare integer
 *      (`Release 2.4.1 (build 1873)` → `2.4.1`);
 *   2. a candidate standing on its own beats one glued to a preceding letter,
 *      digit-less word character or `_` (`Win10 release 7` → `7`,
 *      `x86_64 build 5` → `5`); a single `v`/`V` prefix (`v2.4.1`,
 *      `Release-v2`) does not count as glued;
 *   3. otherwise the earliest one.
 * - A name without digits (or empty) has no version: `null`.
 * - Caps against absurd input: at most {@link MAX_COMPONENTS} numeric
 *   components are kept (the rest are ignored, so two versions that differ only
 *   after the 20th component compare equal); a pre-release or build tag is cut
 *   to {@link MAX_TAG_CHARS} characters. Numeric components are kept as decimal
 *   digit strings (leading zeros stripped) and compared exactly, so huge
 *   numbers neither overflow nor lose precision. All matching is linear in the
 *   (capped) input length.
 *
 * ## Comparison (`compareVersions`)
 * - `null` when either side has no version at all.
 * - **Semver** when both sides coerce to valid semver: at most 3 numeric
 *   components, padded with `.0` (`2.4` → `2.4.0`, `3` → `3.0.0`), pre-release
 *   lower-cased (so `RC1` and `rc1` are the same tag), build metadata dropped.
 *   Pre-releases sort below the release: `2.4.1-rc.2 < 2.4.1`, and
 *   `rc.2 < rc.10` (numeric identifiers compare numerically).
 * - Otherwise (4+ components, numbers beyond 2^53, pre-release identifiers
 *   semver rejects such as `rc.02`) a **numeric-aware dotted order**:
 *   components compare as integers (`1.10 > 1.9`, `2024.11.3 < 2024.12`),
 *   missing components count as 0 (`1.2.3 == 1.2.3.0`); when the numbers are
 *   equal, the pre-release rules above apply (a pre-release is lower than no
 *   pre-release; identifiers compared numerically when both are digits, else
 *   in ASCII order, numeric below alphanumeric, fewer identifiers lower).
 *   For inputs both paths accept the two orders agree.
 * - Build metadata never affects the order: `2.4.1+7 == 2.4.1`.
 * - The result is always -1, 0, 1 or null.
 */
import * as semver from 'semver';

/** Only this many leading characters of a name are scanned for a version. */
export const MAX_SCAN_CHARS = 1024;
/** Numeric components beyond this count are ignored. */
export const MAX_COMPONENTS = 20;
/** Pre-release and build tags are cut to this many characters. */
export const MAX_TAG_CHARS = 64;

/** A version found inside a name. */
export interface ParsedVersion {
  /** The version text as it appears in the name (after the caps), without any `v` prefix, e.g. `2.4.1-rc.2`. */
  readonly raw: string;
  /** Numeric components as decimal digit strings without leading zeros (`"0"` for zero), at most {@link MAX_COMPONENTS}. */
  readonly components: readonly string[];
  /** Pre-release tag, lower-cased, without the leading `-` (e.g. `rc.2`), or null. */
  readonly prerelease: string | null;
  /** Build metadata without the leading `+`, or null. Ignored when comparing. */
  readonly build: string | null;
  /** Canonical semver string (`2.4.0-rc.1`) when the version coerces to valid semver, else null. */
  readonly semver: string | null;
}

// Linear: every quantified part is separated by a literal that cannot start the
// part before it (`.`, `-`, `+`), so there is no backtracking blow-up.
const CANDIDATE =
  /(\d+(?:\.\d+)*)(?:-([A-Za-z][0-9A-Za-z-]*(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?/g;

const WORD_CHAR = /[\p{L}\p{N}_]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && ch !== '' && WORD_CHAR.test(ch);
}

/** True when the candidate at `index` is glued to a preceding word character (a lone `v`/`V` prefix excepted). */
function isGlued(text: string, index: number): boolean {
  const prev = text[index - 1];
  if (!isWordChar(prev)) return false;
  if ((prev === 'v' || prev === 'V') && !isWordChar(text[index - 2])) return false;
  return true;
}

function stripLeadingZeros(digits: string): string {
  const s = digits.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

/** Cut a dotted tag to the cap without leaving an empty trailing identifier. */
function capTag(tag: string | undefined): string | null {
  if (tag === undefined || tag === '') return null;
  let t = tag.length > MAX_TAG_CHARS ? tag.slice(0, MAX_TAG_CHARS) : tag;
  t = t.replace(/\.+$/, '');
  return t === '' ? null : t;
}

function toSemver(components: readonly string[], prerelease: string | null): string | null {
  if (components.length > 3) return null;
  // semver rejects numbers beyond Number.MAX_SAFE_INTEGER (16 digits max).
  if (components.some((c) => c.length > 16)) return null;
  const core = [...components];
  while (core.length < 3) core.push('0');
  const text = core.join('.') + (prerelease !== null ? `-${prerelease}` : '');
  return semver.valid(text);
}

/**
 * Find the version inside a free-text name (`v2.4.1`, `Release 2.4.1`,
 * `2.4.1-rc.2`, `2024.11.3`, `build 1873`, `App 3.0 (hotfix)`).
 * Returns null when the name holds no digits. Never throws.
 */
export function extractVersion(name: string): ParsedVersion | null {
  if (typeof name !== 'string' || name === '') return null;
  const text = name.length > MAX_SCAN_CHARS ? name.slice(0, MAX_SCAN_CHARS) : name;

  // rank: 0 = dotted & free, 1 = dotted & glued, 2 = bare & free, 3 = bare & glued
  let best: RegExpExecArray | null = null;
  let bestRank = Number.POSITIVE_INFINITY;
  const re = new RegExp(CANDIDATE.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const dotted = m[1].includes('.');
    const glued = isGlued(text, m.index);
    const rank = (dotted ? 0 : 2) + (glued ? 1 : 0);
    if (rank < bestRank) {
      best = m;
      bestRank = rank;
      if (rank === 0) break; // cannot do better than the first free dotted candidate
    }
  }
  if (best === null) return null;

  const allParts = best[1].split('.', MAX_COMPONENTS + 1);
  const truncated = allParts.length > MAX_COMPONENTS;
  const parts = truncated ? allParts.slice(0, MAX_COMPONENTS) : allParts;
  const components = parts.map(stripLeadingZeros);
  const rawPre = capTag(best[2]);
  const build = capTag(best[3]);
  const prerelease = rawPre === null ? null : rawPre.toLowerCase();

  const raw =
    parts.join('.') + (rawPre !== null ? `-${rawPre}` : '') + (build !== null ? `+${build}` : '');

  return {
    raw,
    components,
    prerelease,
    build,
    semver: toSemver(components, prerelease),
  };
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compare two non-negative decimal digit strings without leading zeros. */
function compareDigits(a: string, b: string): -1 | 0 | 1 {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const DIGITS = /^\d+$/;

/** Semver §11 pre-release precedence (null = no pre-release = highest). */
function comparePrerelease(a: string | null, b: string | null): -1 | 0 | 1 {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const ai = a.split('.');
  const bi = b.split('.');
  const n = Math.min(ai.length, bi.length);
  for (let i = 0; i < n; i++) {
    const x = ai[i];
    const y = bi[i];
    const xNum = DIGITS.test(x);
    const yNum = DIGITS.test(y);
    let c: -1 | 0 | 1;
    if (xNum && yNum) c = compareDigits(stripLeadingZeros(x), stripLeadingZeros(y));
    else if (xNum) c = -1;
    else if (yNum) c = 1;
    else c = x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return sign(ai.length - bi.length);
}

/** Compare two already extracted versions (same rules as {@link compareVersions}). */
export function compareParsed(a: ParsedVersion, b: ParsedVersion): -1 | 0 | 1 {
  if (a.semver !== null && b.semver !== null) {
    return sign(semver.compare(a.semver, b.semver));
  }
  const n = Math.max(a.components.length, b.components.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a.components[i] ?? '0', b.components[i] ?? '0');
    if (c !== 0) return c;
  }
  return comparePrerelease(a.prerelease, b.prerelease);
}

/**
 * Compare the versions inside two names: -1 if `a < b`, 0 if equal, 1 if
 * `a > b`, null when either name holds no version.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | null {
  const pa = extractVersion(a);
  if (pa === null) return null;
  const pb = extractVersion(b);
  if (pb === null) return null;
  return compareParsed(pa, pb);
}

/**
 * Regression test: is the `reported` version at or above `resolvedUntil`?
 * null when either side holds no version (not comparable).
 */
export function isAtLeast(reported: string, resolvedUntil: string): boolean | null {
  const c = compareVersions(reported, resolvedUntil);
  return c === null ? null : c >= 0;
}

/**
 * The lowest fix version among Jira fix-version names. Names without a version
 * are skipped; among equal versions the first name wins. `version` is the
 * version text found in the name (e.g. `2.3.9` for `2.3.9 backport`).
 */
export function lowestVersion(names: readonly string[]): { name: string; version: string } | null {
  let best: { name: string; parsed: ParsedVersion } | null = null;
  for (const name of names ?? []) {
    const parsed = extractVersion(name);
    if (parsed === null) continue;
    if (best === null || compareParsed(parsed, best.parsed) < 0) best = { name, parsed };
  }
  return best === null ? null : { name: best.name, version: best.parsed.raw };
}
