import { splitShorthand, hasShorthand } from './attribute-shorthand';
import { START_CONTEXT, WikiContext, afterText, afterValue, escapeModeAt } from './escape-context';

/**
 * Rewrites a Handlebars AST (from parseWithoutProcessing, so whitespace control
 * still runs once, at compile time) before compiling it:
 * 1. `$name` / `${name}` / `$$` in literal text become `{{attr "name"}}` / `$`.
 *    Working on content nodes means mustaches, comments, their strings and raw
 *    blocks are never touched, and no backslash-escaping rules can interfere.
 * 2. Every escaped `{{expr}}` becomes `{{{__escape expr "<mode>"}}}`, where mode
 *    is where it sits in the wiki markup (escape-context.ts). The template is
 *    compiled with noEscape; the helper escapes for the description and does
 *    nothing for other fields, so one compiled template serves both.
 *    `{{{expr}}}` stays raw, as Handlebars users expect.
 * 3. Partials and decorators are reported: there are none to call.
 */

export const ATTR_HELPER = 'attr';
export const ESCAPE_HELPER = '__escape';

export interface AstIssue {
  message: string;
  line: number;
  column: number;
}

// Minimal structural view of the nodes we touch (the bundled typings are loose).
interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}
interface Node {
  type: string;
  loc?: Loc;
  [key: string]: unknown;
}
interface PathNode extends Node {
  type: 'PathExpression';
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
}
interface ProgramNode extends Node {
  body: Node[];
}

function path(name: string, loc?: Loc): PathNode {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

function stringLiteral(value: string, loc?: Loc): Node {
  return { type: 'StringLiteral', value, original: value, loc };
}

function content(text: string, loc?: Loc): Node {
  return { type: 'ContentStatement', value: text, original: text, loc };
}

function escapedValue(inner: Node, mode: string, loc?: Loc): Node {
  return {
    type: 'MustacheStatement',
    path: path(ESCAPE_HELPER, loc),
    params: [inner, stringLiteral(mode, loc)],
    hash: undefined,
    escaped: false,
    strip: { open: false, close: false },
    loc,
  };
}

// Same conversion Handlebars applies: `{{"a b"}}` looks up the key "a b".
function literalToPath(node: Node): PathNode {
  if (node.type === 'PathExpression') return node as PathNode;
  const name = String(node.value);
  return path(name, node.loc);
}

export class TemplateAstRewriter {
  readonly issues: AstIssue[] = [];

  constructor(private readonly knownHelpers: ReadonlySet<string>) {}

  rewrite(program: ProgramNode): void {
    this.program(program, START_CONTEXT);
  }

  private issue(message: string, node: Node): void {
    const start = node.loc?.start ?? { line: 1, column: 0 };
    this.issues.push({ message, line: start.line, column: start.column + 1 });
  }

  /** Rewrites `program.body` in place; returns the wiki context after it. */
  private program(program: ProgramNode, start: WikiContext): WikiContext {
    let ctx = start;
    const body: Node[] = [];
    for (const node of program.body) {
      switch (node.type) {
        case 'ContentStatement':
          ctx = this.content(node, ctx, body);
          break;
        case 'MustacheStatement':
          body.push(node.escaped ? this.escapeMustache(node, ctx) : node);
          ctx = afterValue(ctx);
          break;
        case 'BlockStatement': {
          const before = ctx;
          if (node.program) ctx = this.program(node.program as ProgramNode, before);
          if (node.inverse) {
            const afterInverse = this.program(node.inverse as ProgramNode, before);
            if (!node.program) ctx = afterInverse;
          }
          body.push(node);
          break;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement':
          this.issue('partials ({{> name}}) are not supported', node);
          body.push(node);
          break;
        case 'Decorator':
        case 'DecoratorBlock':
          this.issue('decorators ({{* name}}) are not supported', node);
          body.push(node);
          break;
        default:
          body.push(node); // comments
      }
    }
    program.body = body;
    return ctx;
  }

  private content(node: Node, start: WikiContext, body: Node[]): WikiContext {
    const text = String(node.value);
    if (!hasShorthand(text)) {
      body.push(node);
      return afterText(start, text);
    }
    let ctx = start;
    for (const segment of splitShorthand(text)) {
      if (segment.kind === 'text') {
        body.push(content(segment.text, node.loc));
        ctx = afterText(ctx, segment.text);
      } else {
        const call: Node = {
          type: 'SubExpression',
          path: path(ATTR_HELPER, node.loc),
          params: [stringLiteral(segment.name, node.loc)],
          hash: undefined,
          loc: node.loc,
        };
        body.push(escapedValue(call, escapeModeAt(ctx), node.loc));
        ctx = afterValue(ctx);
      }
    }
    return ctx;
  }

  private escapeMustache(node: Node, ctx: WikiContext): Node {
    const target = literalToPath(node.path as Node);
    const params = (node.params as Node[] | undefined) ?? [];
    const isHelperCall =
      params.length > 0 ||
      node.hash !== undefined ||
      (!target.data && target.depth === 0 && target.parts.length === 1 && this.knownHelpers.has(target.parts[0]));
    const inner: Node = isHelperCall
      ? { type: 'SubExpression', path: target, params, hash: node.hash, loc: node.loc }
      : target;
    const wrapped = escapedValue(inner, escapeModeAt(ctx), node.loc);
    wrapped.strip = node.strip; // keep `{{~ ~}}` whitespace control
    return wrapped;
  }
}
