import type { WikiEscapeMode } from './wiki-escape';

/**
 * Where in the wiki markup a `{{value}}` sits, decided statically from the
 * literal text of the template that precedes it (in document order, block
 * bodies included). This lets a natural template such as
 *
 *     {code}
 *     {{#each callstack}}{{this}}
 *     {{/each}}{code}
 *
 * print frames verbatim inside the code block while `{{title}}` elsewhere is
 * escaped, without special helpers. Only the template's own text counts, never
 * rendered values, so a report can never change the context.
 *
 * Known approximation: after a block (`{{#if}}...{{/if}}`) the context is the
 * one at the end of its main body, as if the body had been rendered.
 */
export interface WikiContext {
  /** Inside a `{code}` or `{noformat}` block of the template. */
  block: 'code' | 'noformat' | null;
  /** Template text of the current line so far (values count as one opaque char). */
  line: string;
}

export const START_CONTEXT: WikiContext = { block: null, line: '' };

const OPENER = /\{(code|noformat)(?::[^}\n]*)?\}/i;
const VALUE_PLACEHOLDER = '\u0000';

function lastLine(text: string): string {
  const i = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return i < 0 ? text : text.slice(i + 1);
}

/** Context after the template's literal `text`. */
export function afterText(ctx: WikiContext, text: string): WikiContext {
  let block = ctx.block;
  let rest = text;
  for (;;) {
    if (block === null) {
      const m = OPENER.exec(rest);
      if (!m) break;
      block = m[1].toLowerCase() === 'code' ? 'code' : 'noformat';
      rest = rest.slice(m.index + m[0].length);
    } else {
      const closer = rest.toLowerCase().indexOf(`{${block}}`);
      if (closer < 0) break;
      rest = rest.slice(closer + block.length + 2);
      block = null;
    }
  }
  return { block, line: lastLine(ctx.line + text) };
}

/** Context after a rendered value (it never opens or closes anything). */
export function afterValue(ctx: WikiContext): WikiContext {
  return { block: ctx.block, line: ctx.line + VALUE_PLACEHOLDER };
}

// Markup that lives on one line: table rows, headings, quotes, list items.
const LINE_MARKUP = /^(?:\||h[1-6]\.\s|bq\.\s|[*#-]+\s)/;
// Inside `[text|` with the `]` still to come: a link target.
const LINK_TARGET = /\[[^[\]]*\|[^[\]]*$/;

export function escapeModeAt(ctx: WikiContext): WikiEscapeMode {
  if (ctx.block) return 'code';
  if (LINK_TARGET.test(ctx.line)) return 'url';
  if (LINE_MARKUP.test(ctx.line.trimStart())) return 'line';
  return 'text';
}
