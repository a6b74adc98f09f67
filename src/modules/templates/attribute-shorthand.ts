/**
 * Backtrace's attribute shorthand, recognised in the literal text of every
 * template (never inside `{{ ... }}` mustaches, comments or their strings:
 * the engine applies it to Handlebars content nodes only).
 *
 * Grammar (documented for users):
 * - `$name`   name = a letter or `_`, then letters, digits and `_`; a `.`
 *             continues the name only when a letter, digit or `_` follows
 *             (`$uname.sysname`, while the `.` in "on $version." ends the
 *             sentence). `-` is not part of a bare name, so `$platform-$arch`
 *             is two attributes.
 * - `${name}` name = one or more letters, digits, `_`, `.` or `-`; the braces
 *             delimit it, so `${build}x` and `${my-attr}` work.
 * - `$$`      a literal `$`.
 * - any other `$` (`$5`, `$ `, `${}`, `${a b}`) stays a literal `$`.
 */

export type ShorthandSegment = { kind: 'text'; text: string } | { kind: 'attribute'; name: string };

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/;
const BRACED_NAME = /^\{([A-Za-z0-9_.-]+)\}/;

/** Split literal template text into plain text and attribute references. */
export function splitShorthand(text: string): ShorthandSegment[] {
  const segments: ShorthandSegment[] = [];
  let buffer = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      buffer += text.slice(i);
      break;
    }
    buffer += text.slice(i, dollar);
    const rest = text.slice(dollar + 1);
    if (rest.startsWith('$')) {
      buffer += '$';
      i = dollar + 2;
      continue;
    }
    const braced = BRACED_NAME.exec(rest);
    const bare = braced ? null : BARE_NAME.exec(rest);
    const name = braced ? braced[1] : bare?.[0];
    if (name === undefined) {
      buffer += '$';
      i = dollar + 1;
      continue;
    }
    if (buffer) segments.push({ kind: 'text', text: buffer });
    buffer = '';
    segments.push({ kind: 'attribute', name });
    i = dollar + 1 + (braced ? braced[0].length : name.length);
  }
  if (buffer) segments.push({ kind: 'text', text: buffer });
  return segments;
}

/** Cheap pre-check so that text without `$` is left untouched. */
export function hasShorthand(text: string): boolean {
  return text.includes('$');
}
