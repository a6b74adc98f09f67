/**
 * Turns Handlebars' errors into "line:column: message" for the settings form.
 * Lines and columns are 1-based, as editors show them.
 */

export interface TemplateErrorInfo {
  message: string;
  line?: number;
  column?: number;
}

/** A template that cannot be compiled or rendered. */
export class TemplateError extends Error {
  constructor(
    readonly template: string,
    readonly info: TemplateErrorInfo,
  ) {
    super(formatTemplateError(template, info));
    this.name = 'TemplateError';
  }
}

export function formatTemplateError(template: string, info: TemplateErrorInfo): string {
  return info.line === undefined
    ? `${template}: ${info.message}`
    : `${template}:${info.line}:${info.column ?? 1}: ${info.message}`;
}

/** State of Handlebars' (shared, synchronous) jison lexer right after a failed parse. */
export interface LexerState {
  yylloc?: { first_line: number; first_column: number };
  matched?: string;
  match?: string;
}

const TOKEN_TEXT: Record<string, string> = {
  EOF: 'end of template',
  CLOSE: "'}}'",
  CLOSE_UNESCAPED: "'}}}'",
  CLOSE_RAW_BLOCK: "'}}}}'",
  OPEN: "'{{'",
  OPEN_BLOCK: "'{{#'",
  OPEN_ENDBLOCK: "'{{/'",
  OPEN_INVERSE: "'{{^'",
  OPEN_INVERSE_CHAIN: "'{{else'",
  INVERSE: "'{{else}}'",
  OPEN_SEXPR: "'('",
  CLOSE_SEXPR: "')'",
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  DATA: "'@name'",
  EQUALS: "'='",
  SEP: "'.'",
  BOOLEAN: 'true/false',
  UNDEFINED: "'undefined'",
  NULL: "'null'",
};

function tokenText(token: string, lexer?: LexerState): string {
  if (token === 'INVALID') return lexer?.match ? `'${lexer.match}'` : 'invalid text';
  return TOKEN_TEXT[token] ?? `'${token.toLowerCase()}'`;
}

function positionOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Best description of an error thrown while parsing or compiling `source`. */
export function describeHandlebarsError(err: unknown, source: string, lexer?: LexerState): TemplateErrorInfo {
  const e = err as { message?: unknown; lineNumber?: unknown; column?: unknown };
  const raw = typeof e?.message === 'string' ? e.message : String(err);

  // Errors from Handlebars' own checks carry a position ("each doesn't match if - 1:3").
  if (typeof e.lineNumber === 'number') {
    const message = raw.replace(/ - \d+:\d+$/, '');
    const helper = /^You specified knownHelpersOnly, but used the unknown helper (\S+)$/.exec(message);
    return {
      message: helper ? `unknown helper '${helper[1]}'` : message,
      line: e.lineNumber,
      column: typeof e.column === 'number' ? e.column + 1 : 1,
    };
  }

  // Parser errors only carry text; the lexer still holds the offending token.
  const parse = /^Parse error on line \d+:[\s\S]*?Expecting (.*), got '([^']*)'\s*$/.exec(raw);
  if (parse) {
    const expected = [...new Set((parse[1].match(/'([^']+)'/g) ?? []).map((t) => t.slice(1, -1)))];
    const got = parse[2];
    const at = lexer?.yylloc
      ? { line: lexer.yylloc.first_line, column: lexer.yylloc.first_column + 1 }
      : undefined;
    const message =
      got === 'EOF' && expected.includes('OPEN_ENDBLOCK')
        ? 'unexpected end of template: a {{#block}} is not closed with {{/block}}'
        : `unexpected ${tokenText(got, lexer)}, expected ${expected
            .slice(0, 6)
            .map((t) => tokenText(t))
            .join(', ')}`;
    return { message, ...at };
  }
  if (/^Parse error on line (\d+)/.test(raw)) {
    const line = Number(/^Parse error on line (\d+)/.exec(raw)?.[1]);
    return { message: raw.split('\n').slice(-1)[0], line, column: 1 };
  }
  if (/^Lexical error on line/.test(raw)) {
    const at = lexer?.matched !== undefined ? positionOf(source, lexer.matched.length) : undefined;
    return { message: 'unrecognised text (an unterminated {{!-- comment --}} or mustache?)', ...at };
  }
  return { message: raw };
}
