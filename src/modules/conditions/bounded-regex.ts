import { RE2JS } from 're2js';

/** The longest `matches` pattern a condition may hold. */
export const MAX_PATTERN_CHARS = 200;
/** Only this much of a value is searched: the cost of one match stays bounded whatever was reported. */
export const MAX_SUBJECT_CHARS = 4096;

/**
 * Patterns run on RE2 (re2js): matching time grows linearly with the input, never exponentially, so a
 * condition can not stall ingestion whatever it says. RE2 has no backreferences or lookarounds; such a
 * pattern is refused when saved.
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
  return { test: (value) => re.matcher(value.length > MAX_SUBJECT_CHARS ? value.slice(0, MAX_SUBJECT_CHARS) : value).find() };
}
