/**
 * Escaping of values from error reports for Jira wiki markup (the format of
 * `description` in REST API v2, on Cloud and Data Center).
 *
 * Goal: a crash title such as `*bold* [link] {code}` must show up as typed,
 * never as formatting, a link or a macro, while ordinary identifiers
 * (`parse_header`, `null-deref`, `2.4.0-rc1`, `a+b`) stay readable in the raw
 * text. Rules, per character of the value:
 *
 * | chars                 | escaped when                                   | why                                  |
 * |-----------------------|------------------------------------------------|--------------------------------------|
 * | `{` `}` `[` `]` `\|`  | always, with a backslash                       | macros, links/mentions, table cells  |
 * | `*` `_` `-` `+` `^` `~` | unless a letter/digit is on both sides       | bold, italic, strike, underline, sup/sub, list bullets, `--`/`---` dashes, `----` rules; in-word use is never markup |
 * | `?`                   | next to another `?`                            | `??citation??`                       |
 * | `!`                   | unless followed by whitespace or the end       | `!image.png!`                        |
 * | `#`                   | at the start of the value or of a line         | numbered lists                       |
 * | `\`                   | always, as `&#92;`                             | `\\` is a line break and a backslash would escape our escapes; Jira has no `\\`-for-backslash |
 * | `&`                   | when it starts an entity (`&amp;`, `&#92;`)    | Jira renders HTML entities           |
 * | `(` of `(x)` `(i)` `(/)` `(y)` `(n)` `(on)` `(off)` `(*)` `(flag)` ... | as `&#40;` | emoticons                  |
 *
 * Not handled (documented limits): `h1.`/`bq.` at a line start inside a value,
 * `:)`-style smileys, and auto-linking of bare URLs.
 *
 * Other contexts use other rules (chosen by the engine from where the value
 * sits in the template, see escape-context.ts):
 * - `line`: table cells, headings and list items: newlines become spaces
 *   (a newline would end the row) and an empty value becomes a space (`||`
 *   would start a header cell); then as above.
 * - `url`: the target of `[text|url]`: characters that would end the link are
 *   percent-encoded.
 * - `code`: inside `{code}` / `{noformat}` nothing is interpreted, so the text
 *   is kept verbatim except that `{code` / `{noformat` get a zero-width space
 *   after the brace: a callstack frame can then never close the block.
 */

export type WikiEscapeMode = 'text' | 'line' | 'url' | 'code';

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const ALWAYS = new Set(['{', '}', '[', ']', '|']);
const EFFECTS = new Set(['*', '_', '-', '+', '^', '~']);
const ENTITY = /^&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;
const EMOTICON = /^\((?:[ynix/!+?*-]|on|off|\*[rgby]|flag|flagoff)\)/i;
const ZERO_WIDTH_SPACE = '\u200B';

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

function isBlank(ch: string | undefined): boolean {
  return ch === undefined || /^\s$/u.test(ch);
}

/** Escape a value for running wiki text (see the table above). */
export function escapeWikiText(value: string): string {
  const chars = Array.from(value);
  let out = '';
  let offset = 0; // UTF-16 offset of chars[i] in value, for the look-ahead regexes
  for (let i = 0; i < chars.length; offset += chars[i].length, i++) {
    const ch = chars[i];
    const prev = chars[i - 1];
    const next = chars[i + 1];
    if (ALWAYS.has(ch)) out += '\\' + ch;
    else if (EFFECTS.has(ch)) out += isWordChar(prev) && isWordChar(next) ? ch : '\\' + ch;
    else if (ch === '?') out += prev === '?' || next === '?' ? '\\?' : '?';
    else if (ch === '!') out += isBlank(next) ? '!' : '\\!';
    else if (ch === '#') out += prev === undefined || prev === '\n' || prev === '\r' ? '\\#' : '#';
    else if (ch === '\\') out += '&#92;';
    else if (ch === '&') out += ENTITY.test(value.slice(offset)) ? '&amp;' : '&';
    else if (ch === '(') out += EMOTICON.test(value.slice(offset)) ? '&#40;' : '(';
    else out += ch;
  }
  return out;
}

/** For table cells, headings and list items: one line, never empty. */
export function escapeWikiLine(value: string): string {
  const oneLine = value.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ');
  return oneLine === '' ? ' ' : escapeWikiText(oneLine);
}

/** For the target of a `[text|url]` link: percent-encode what would end or break it. */
export function escapeWikiUrl(value: string): string {
  return value.trim().replace(/[\s[\]|{}"<>\\^`]/gu, (ch) => encodeURIComponent(ch));
}

/** Inside `{code}` / `{noformat}`: verbatim, but the block can never be closed from inside. */
export function neutraliseCodeMacros(value: string): string {
  return value.replace(/\{(?=(?:code|noformat)[:}])/gi, '{' + ZERO_WIDTH_SPACE);
}

export function escapeWiki(value: string, mode: WikiEscapeMode): string {
  switch (mode) {
    case 'text':
      return escapeWikiText(value);
    case 'line':
      return escapeWikiLine(value);
    case 'url':
      return escapeWikiUrl(value);
    case 'code':
      return neutraliseCodeMacros(value);
  }
}
