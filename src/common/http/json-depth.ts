import { BadRequestException } from '@nestjs/common';
import { MAX_JSON_DEPTH } from './body-limits';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether UTF-8 JSON text opens more than `max` arrays or objects inside each other, so a deep body is
 * refused before JSON.parse spends anything on it. Text with at most `max` opening brackets cannot be
 * (the usual body: a Jira event has about 40): counted with Buffer#indexOf, several times cheaper than
 * the byte-by-byte pass that takes the others (npm run bench, webhooks: the pass was 4 % of the service's CPU).
 */
export function jsonTextTooDeep(raw: Buffer, max = MAX_JSON_DEPTH): boolean {
  return atMostOpenings(raw, max) ? false : nestedDeeper(raw, max);
}

/** Whether the text holds at most `max` bytes `{` and `[` (inside strings or not: an upper bound of the depth). */
function atMostOpenings(raw: Buffer, max: number): boolean {
  let n = 0;
  for (const bracket of [OPEN_OBJECT, OPEN_ARRAY]) {
    for (let i = raw.indexOf(bracket); i !== -1; i = raw.indexOf(bracket, i + 1)) if (++n > max) return false;
  }
  return true;
}

/**
 * One pass over the bytes (brackets inside strings do not count). Multi-byte UTF-8 sequences hold
 * no ASCII bytes, so the depth is exact for valid JSON; invalid JSON fails its parse anyway.
 */
function nestedDeeper(raw: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** The same bound for a parsed value (bodies in other charsets or encodings), without recursion. */
export function jsonValueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

export function tooDeepError(max = MAX_JSON_DEPTH): BadRequestException {
  return new BadRequestException(`body: nested deeper than ${max} levels`);
}
