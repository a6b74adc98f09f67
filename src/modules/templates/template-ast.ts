import { splitShorthand, hasShorthand } from './attribute-shorthand';
import { START_CONTEXT, WikiContext, afterText, afterValue, escapeModeAt } from './escape-context';
import { MAP_HELPER } from './value-maps';

/**
 * Rewrites a Handlebars AST (from parseWithoutProcessing, so whitespace control
 * still runs once, at compile time) before compiling it:
 * 1. `$name` / `${name}` / `$$` in literal text become `{{attr "name"}}` / `$`.
 *    Working on content nodes means mustaches, comments, their strings and raw
 *    blocks are never touched, and no backslash-escaping rules can interfere.
 *    Inside a mustache, a path written `$name` (a parameter, a hash value, or the
 *    whole `{{$name}}`) becomes `(attr "name")` too; `${name}` arrives here as
 *    the path `[$name]` (braced-parameters.ts). `this.$name` stays a lookup.
 * 2. Every escaped `{{expr}}` becomes `{{{__escape expr "<mode>"}}}`, where mode
 *    is where it sits in the wiki markup (escape-context.ts). The template is
 *    compiled with noEscape; the helper escapes for the description and does
 *    nothing for other fields, so one compiled template serves both.
 *    `{{{expr}}}` stays raw, as Handlebars users expect.
 * 3. Partials and decorators are reported: there are none to call.
 * 4. `map` calls are checked (a quoted map name and a key) and the names of the
 *    maps a template uses are collected, for Test connection.
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

function attrCall(name: string, loc?: Loc): Node {
  return { type: 'SubExpression', path: path(ATTR_HELPER, loc), params: [stringLiteral(name, loc)], hash: undefined, loc };
}

// What may follow `$` in a parameter: the braced shorthand's characters.
const PARAMETER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The attribute a `$name` path names (`$uname.sysname` → `uname.sysname`), else undefined. */
function shorthandName(node: Node): string | undefined {
  if (node.type !== 'PathExpression') return undefined;
  const p = node as PathNode;
  if (p.data || p.depth !== 0 || !p.original.startsWith('$') || !p.parts[0]?.startsWith('$')) return undefined;
  const name = [p.parts[0].slice(1), ...p.parts.slice(1)].join('.');
  return PARAMETER_NAME.test(name) ? name : undefined;
}

const isHelperPath = (node: Node, name: string): boolean => {
  const p = node as PathNode;
  return node.type === 'PathExpression' && !p.data && p.depth === 0 && p.parts.length === 1 && p.parts[0] === name;
};

// Same conversion Handlebars applies: `{{"a b"}}` looks up the key "a b".
function literalToPath(node: Node): PathNode {
  if (node.type === 'PathExpression') return node as PathNode;
  const name = String(node.value);
  return path(name, node.loc);
}

export class TemplateAstRewriter {
  readonly issues: AstIssue[] = [];
  /** Names of the value maps the template's `map` calls use. */
  readonly mapsUsed = new Set<string>();

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
          this.call(node);
          body.push(node.escaped ? this.escapeMustache(node, ctx) : node);
          ctx = afterValue(ctx);
          break;
        case 'BlockStatement': {
          if (isHelperPath(node.path as Node, MAP_HELPER)) this.issue(`${MAP_HELPER} is not a block helper: write {{${MAP_HELPER} "name" $attribute}}`, node);
          this.arguments(node);
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

  /** A mustache's own path, then its arguments: `{{$name}}` alone is the attribute. */
  private call(node: Node): void {
    const params = (node.params as Node[] | undefined) ?? [];
    const name = shorthandName(node.path as Node);
    if (name !== undefined && params.length === 0 && node.hash === undefined) {
      node.path = path(ATTR_HELPER, node.loc);
      node.params = [stringLiteral(name, node.loc)];
      return;
    }
    this.arguments(node);
  }

  /** Rewrites `$name` parameters and hash values of a call (and of the calls nested in it) in place. */
  private arguments(node: Node): void {
    const params = (node.params as Node[] | undefined) ?? [];
    node.params = params.map((p) => this.argument(p));
    const hash = node.hash as { pairs?: Array<{ value: Node }> } | undefined;
    for (const pair of hash?.pairs ?? []) pair.value = this.argument(pair.value);
    if (isHelperPath(node.path as Node, MAP_HELPER)) this.checkMapCall(node);
  }

  private argument(node: Node): Node {
    const name = shorthandName(node);
    if (name !== undefined) return attrCall(name, node.loc);
    if (node.type === 'SubExpression') this.arguments(node);
    return node;
  }

  private checkMapCall(node: Node): void {
    const params = (node.params as Node[] | undefined) ?? [];
    const [name] = params;
    if (params.length !== 2 || node.hash !== undefined || name.type !== 'StringLiteral') {
      this.issue(`${MAP_HELPER} takes a value map's name in quotes and a key, e.g. {{${MAP_HELPER} "severity" $severity}}`, node);
      return;
    }
    this.mapsUsed.add(String(name.value));
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
