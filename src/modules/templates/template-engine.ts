import Handlebars from 'handlebars';
import { LRUCache } from 'lru-cache';
import { RENDER_LIMITS, RenderBudget } from './render-budget';
import { HandlebarsLexer, bracketBracedParameters } from './braced-parameters';
import { ATTR_HELPER, ESCAPE_HELPER, TemplateAstRewriter } from './template-ast';
import { TemplateContext, findAttribute } from './template-context';
import { LexerState, TemplateError, TemplateErrorInfo, describeHandlebarsError, formatTemplateError } from './template-errors';
import { MAP_HELPER, ValueMaps, lookupValueMap } from './value-maps';
import { WikiEscapeMode, escapeWiki } from './wiki-escape';

/**
 * Handlebars for crashbridge templates.
 *
 * - Its own environment (Handlebars.create()): our helpers never leak into, or
 *   depend on, other users of the library in the process.
 * - Default runtime options, so Handlebars' prototype-access protection stays on.
 * - knownHelpersOnly: a call to a helper that does not exist is a compile error
 *   with a position (shown on settings save), not a failure at ticket time.
 * - Compiled templates are cached by source text (bounded LRU).
 *
 * Helpers: `attr "name"` (what `$name` compiles to), `map "name" key` (value
 * maps, value-maps.ts), `join list ", "`, `inline value` (one line), plus
 * Handlebars' if/unless/each/with/lookup.
 * `log` is silenced: templates must not write to the service log.
 * `each` is charged to a per-render budget (render-budget.ts).
 */

export type EscapeMode = 'none' | 'wiki';

export interface RenderOptions {
  escape: EscapeMode;
  /** Template name for error messages ("subject", "description", ...). */
  name?: string;
  /** Bounds of one render; RENDER_LIMITS unless a test sets smaller ones. */
  limits?: { iterations: number; outputChars: number };
  /** The settings' `valueMaps`, for `{{map "name" key}}`. */
  valueMaps?: ValueMaps;
}

export interface RenderResult {
  text: string;
  warnings: string[];
}

export type CompileResult = { ok: true } | { ok: false; error: string; line?: number; column?: number };

export const TEMPLATE_CACHE_SIZE = 500;

/** Per-render state, reachable from helpers through Handlebars' `@data` frames. */
interface RenderState {
  escape: EscapeMode;
  warnings: Set<string>;
  budget: RenderBudget;
  valueMaps: ValueMaps | undefined;
}
const STATE_KEY = 'crashbridgeRender';

interface HelperOptions {
  data?: Record<string, unknown> & { root?: TemplateContext };
  fn?: (...args: unknown[]) => string;
}

function stateOf(options: HelperOptions | undefined): RenderState | undefined {
  return options?.data?.[STATE_KEY] as RenderState | undefined;
}

/** How a value prints: arrays as "a, b", an attribute as its top value, objects as nothing. */
function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(toText).join(', ');
  if (value instanceof Handlebars.SafeString) return value.toString();
  if (typeof value === 'object' && 'top' in value && 'values' in value) return toText((value as { top: unknown }).top);
  return '';
}

const env = Handlebars.create();

env.registerHelper(ATTR_HELPER, function (name: unknown, options: HelperOptions) {
  const attrName = String(name);
  const root = options?.data?.root;
  const attribute = root ? findAttribute(root, attrName) : undefined;
  if (!attribute) {
    stateOf(options)?.warnings.add(`unknown attribute $${attrName}`);
    return '';
  }
  return attribute.top ?? '';
});

env.registerHelper(ESCAPE_HELPER, function (value: unknown, mode: unknown, options: HelperOptions) {
  const text = toText(value);
  return stateOf(options)?.escape === 'wiki' ? escapeWiki(text, mode as WikiEscapeMode) : text;
});

env.registerHelper(MAP_HELPER, function (name: unknown, key: unknown, options: HelperOptions) {
  const state = stateOf(options);
  const found = lookupValueMap(state?.valueMaps, toText(name), toText(key));
  if (found.ok) return found.value;
  state?.warnings.add(found.warning);
  return '';
});

env.registerHelper('join', function (list: unknown, ...rest: unknown[]) {
  const separator = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : ', ';
  return Array.isArray(list) ? list.map(toText).join(separator) : toText(list);
});

env.registerHelper('inline', function (value: unknown) {
  return toText(value).replace(/\s+/g, ' ').trim();
});

env.registerHelper('log', () => '');

// `each` as Handlebars defines it, with every iteration charged to the render's budget.
const builtInEach = env.helpers.each as (this: unknown, context: unknown, options: HelperOptions) => string;
env.registerHelper('each', function (this: unknown, context: unknown, options: HelperOptions) {
  const budget = stateOf(options)?.budget;
  const fn = options.fn;
  if (!budget || !fn) return builtInEach.call(this, context, options);
  const charged = function (this: unknown, ...args: unknown[]): string {
    budget.chargeIteration();
    const out = fn.apply(this, args);
    budget.chargeOutput(out.length);
    return out;
  };
  return builtInEach.call(this, context, { ...options, fn: Object.assign(charged, fn) });
});

const KNOWN_HELPERS = new Set([
  ATTR_HELPER,
  ESCAPE_HELPER,
  MAP_HELPER,
  'join',
  'inline',
  'helperMissing',
  'blockHelperMissing',
  'each',
  'if',
  'unless',
  'with',
  'log',
  'lookup',
]);

function compileOptions(): CompileOptions {
  return {
    noEscape: true, // escaping is done by the __escape helper (template-ast.ts)
    knownHelpersOnly: true,
    knownHelpers: Object.fromEntries([...KNOWN_HELPERS].map((h) => [h, true])),
  };
}

type Prepared = { ok: true; template: HandlebarsTemplateDelegate; mapsUsed: string[] } | { ok: false; error: TemplateErrorInfo };

// Settings hold few templates, but sources are user input: least recently used ones go.
const cache = new LRUCache<string, Prepared>({ max: TEMPLATE_CACHE_SIZE });

// Handlebars' parser is a module singleton and synchronous; right after a
// failed parse its lexer still points at the offending token (the thrown
// error only has text). Not in the typings, hence the narrow cast.
function lexerState(): LexerState | undefined {
  return (env as unknown as { Parser?: { lexer?: LexerState } }).Parser?.lexer;
}

const parser = (env as unknown as { Parser: { lexer: HandlebarsLexer; terminals_: Record<number, string> } }).Parser;

function prepare(source: string): Prepared {
  const cached = cache.get(source);
  if (cached) return cached;
  let prepared: Prepared;
  try {
    const ast = env.parseWithoutProcessing(bracketBracedParameters(source, parser.lexer, parser.terminals_));
    const rewriter = new TemplateAstRewriter(KNOWN_HELPERS);
    rewriter.rewrite(ast as unknown as Parameters<TemplateAstRewriter['rewrite']>[0]);
    const issue = rewriter.issues[0];
    if (issue) {
      prepared = { ok: false, error: issue };
    } else {
      // compile() is lazy and consumes the AST; precompile a copy first so that
      // compile-time errors (unknown helper, bad block) show up now, with a position.
      env.precompile(structuredClone(ast), compileOptions());
      prepared = { ok: true, template: env.compile(ast, compileOptions()), mapsUsed: [...rewriter.mapsUsed] };
    }
  } catch (err) {
    prepared = { ok: false, error: describeHandlebarsError(err, source, lexerState()) };
  }
  cache.set(source, prepared);
  return prepared;
}

/** Validation for settings save: syntax and helper errors with line:column. */
export function compileTemplate(source: string, name: string): CompileResult {
  const prepared = prepare(source);
  if (prepared.ok) return { ok: true };
  const { line, column } = prepared.error;
  return { ok: false, error: formatTemplateError(name, prepared.error), ...(line === undefined ? {} : { line, column }) };
}

/**
 * Renders a template (Handlebars + `$attribute` shorthand) against a context.
 * `escape: 'wiki'` escapes `{{values}}` for Jira wiki markup (description);
 * `'none'` leaves them as they are (summary, labels, custom fields).
 * Throws TemplateError for a template that does not compile or fails to run.
 */
export function renderTemplate(source: string, ctx: TemplateContext, opts: RenderOptions): RenderResult {
  const name = opts.name ?? 'template';
  const prepared = prepare(source);
  if (!prepared.ok) throw new TemplateError(name, prepared.error);
  const state: RenderState = {
    escape: opts.escape,
    warnings: new Set(),
    budget: new RenderBudget(opts.limits ?? RENDER_LIMITS),
    valueMaps: opts.valueMaps,
  };
  let text: string;
  try {
    text = prepared.template(ctx, { data: { [STATE_KEY]: state } });
  } catch (err) {
    throw new TemplateError(name, describeHandlebarsError(err, source));
  }
  return { text, warnings: [...state.warnings] };
}

/** Names of the value maps a template's `{{map "name" ...}}` calls use; none when it does not compile. */
export function valueMapsUsed(source: string): string[] {
  const prepared = prepare(source);
  return prepared.ok ? prepared.mapsUsed : [];
}

/** For tests and diagnostics. */
export function templateCacheSize(): number {
  return cache.size;
}

/** For tests and diagnostics: whether a source is compiled and cached (does not touch its recency). */
export function isTemplateCached(source: string): boolean {
  return cache.has(source);
}
