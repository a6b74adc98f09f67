/**
 * `${name}` as a mustache parameter (`{{map "severity" ${severity}}}`). Handlebars cannot
 * parse `${` inside a mustache, so before parsing each such `${name}` becomes `[$name]`, a
 * bracketed path Handlebars reads as the key `$name`, which the AST rewriter then turns
 * into the attribute (template-ast.ts). Both spellings have the same length: line and
 * column of every later error stay true.
 *
 * Where a mustache starts and ends is decided by Handlebars' own lexer, run on a private
 * copy, so literal text, comments, raw blocks, strings and `[...]` keys are never changed.
 */

/** The parts of Handlebars' jison lexer this reads (not in its typings). */
export interface HandlebarsLexer {
  setInput(input: string): unknown;
  lex(): number | string | undefined;
  EOF: number;
  match: string;
  _input: string;
}

const BRACED = /\$\{([A-Za-z0-9_.-]+)\}/g;
// Tokens whose text is not mustache code: literal text, comments, strings.
const PASSIVE = new Set(['CONTENT', 'COMMENT', 'STRING', 'EOF']);

/** Which characters of `source` are mustache code, by the lexer's tokens; null when it cannot lex. */
function codeMask(source: string, lexer: HandlebarsLexer, terminals: Record<number, string>): Uint8Array | null {
  const code = new Uint8Array(source.length);
  const lx = Object.create(lexer) as HandlebarsLexer;
  lx.setInput(source);
  let end = 0;
  try {
    // Every token consumes at least one character; the bound only guards against a lexer bug.
    for (let tokens = 0; tokens <= source.length + 1; tokens++) {
      const token = lx.lex();
      if (token === lx.EOF) break;
      const name = typeof token === 'number' ? terminals[token] : String(token);
      const start = end;
      end = source.length - lx._input.length;
      // `[...]` is a key written literally, as a string is.
      const bracketed = name === 'ID' && source[end - lx.match.length] === '[';
      if (!PASSIVE.has(name) && !bracketed) code.fill(1, start, end);
      if (name === 'EOF') break;
    }
  } catch {
    return null; // the parse that follows reports the error with its position
  }
  return code;
}

/** `source` with every `${name}` inside a mustache written `[$name]`. */
export function bracketBracedParameters(source: string, lexer: HandlebarsLexer, terminals: Record<number, string>): string {
  if (!source.includes('${')) return source;
  const code = codeMask(source, lexer, terminals);
  if (!code) return source;
  return source.replace(BRACED, (whole: string, name: string, offset: number) => {
    for (let i = offset; i < offset + whole.length; i++) if (!code[i]) return whole;
    return `[$${name}]`;
  });
}
