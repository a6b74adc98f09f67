/**
 * Jira's length limits count UTF-16 code units (Java's String.length), which is
 * also JavaScript's `length`. Cutting must not split a surrogate pair: half an
 * emoji is invalid text and Jira answers 400.
 */

export const SUMMARY_MAX = 255;
export const DESCRIPTION_MAX = 32_767;

export interface Truncated {
  text: string;
  truncated: boolean;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Longest prefix of at most `max` code units that ends on a character boundary. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end);
}

/**
 * Fits `text` into `max` code units; when it has to cut, `suffix` (e.g. "…")
 * is appended within the limit.
 */
export function truncateText(text: string, max: number, suffix = ''): Truncated {
  if (text.length <= max) return { text, truncated: false };
  const room = Math.max(0, max - suffix.length);
  return { text: cutAt(text, room) + suffix.slice(0, max), truncated: true };
}
