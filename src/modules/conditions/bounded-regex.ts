import { RE2JS } from 're2js';

/** The longest `matches` pattern a condition may hold. */
export const MAX_PATTERN_CHARS = 200;

/**
 * Patterns run on RE2 (re2js): matching time grows linearly with the input, never exponentially, so a
 * condition can not stall ingestion whatever it says. RE2 has no backreferences or lookarounds; such a
 * pattern is refused when saved. The whole value is searched (cutting it would move where `$` matches);
 * ingestion bounds the values (titles 1,000 characters, attribute values 1,024).
 */
export interface BoundedRegex {
  test(value: string): boolean;
}

/** Why a pattern cannot be used, or null. */
export function regexProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_CHARS) return `must be at most ${MAX_PATTERN_CHARS} characters`;
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (err) {
    return `is not a usable regular expression (${(err as Error).message})`;
  }
}

/** Compiles a pattern that regexProblem accepted; searches anywhere in the value (anchor with ^ and $). */
export function compileBounded(pattern: string): BoundedRegex {
  const re = RE2JS.compile(pattern);
  return { test: (value) => re.matcher(value).find() };
}

/** How many capture groups a pattern that regexProblem accepted has. */
export function captureGroupCount(pattern: string): number {
  return RE2JS.compile(pattern).groupCount();
}

/** Compiles a pattern that regexProblem accepted; answers its first capture group of the first match, or null. */
export function compileCapture(pattern: string): (value: string) => string | null {
  const re = RE2JS.compile(pattern);
  return (value) => {
    const m = re.matcher(value);
    return m.find() ? m.group(1) : null;
  };
}
