import { buildTemplateContext, compileTemplate, renderTemplate } from '@app/modules/templates';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { HandlebarsLexer, bracketBracedParameters } from '@app/modules/templates/braced-parameters';
import { TemplateAstRewriter } from '@app/modules/templates/template-ast';
import { group } from './fixtures';

const parser = (Handlebars as unknown as { Parser: { lexer: HandlebarsLexer; terminals_: Record<number, string> } }).Parser;

const ctx = buildTemplateContext(
  group({
    title: 'a|b',
    attributes: {
      platform: { Linux: 12, Windows: 3 },
      'uname.sysname': { Darwin: 2 },
      'my-attr': { hyphenated: 1 },
      flag: { '': 1 },
    },
  }),
);

function render(source: string, escape: 'none' | 'wiki' = 'none') {
  return renderTemplate(source, ctx, { escape });
}

describe('$name inside mustaches means the attribute, as (attr "name")', () => {
  it('as a helper parameter, written $name or ${name}', () => {
    expect(render('{{inline $platform}}|{{inline ${platform}}}|{{inline (attr "platform")}}').text).toBe('Linux|Linux|Linux');
    expect(render('{{join classifiers $platform}}').text).toBe('SIGSEGVLinuxnull-deref');
  });

  it('in block parameters, sub-expressions and hash values', () => {
    expect(render('{{#if $platform}}yes{{else}}no{{/if}} {{#unless $nothing}}none{{/unless}}').text).toBe('yes none');
    expect(render('{{#if (inline $platform)}}ok{{/if}} {{#with $platform}}[{{this}}]{{/with}}').text).toBe('ok [Linux]');
    expect(render('{{#each classifiers}}{{#if @first}}{{inline ${platform}}}{{/if}}{{/each}}').text).toBe('Linux');
  });

  it('hash values are rewritten too (the AST the compiler gets)', () => {
    const ast = Handlebars.parseWithoutProcessing('{{{join classifiers sep=$platform}}}') as unknown as { body: unknown[] };
    new TemplateAstRewriter(new Set(['join', 'attr'])).rewrite(ast as never);
    expect(ast.body[0]).toMatchObject({
      path: { original: 'join' },
      hash: { pairs: [{ key: 'sep', value: { type: 'SubExpression', path: { original: 'attr' }, params: [{ value: 'platform' }] } }] },
    });
  });

  it('{{$name}} and {{${name}}} alone print the top value, escaped in the description like any value', () => {
    const c = buildTemplateContext(group({ attributes: { platform: { 'Linux|x64': 1 } } }));
    expect(renderTemplate('{{$platform}} {{${platform}}} {{{$platform}}}', c, { escape: 'wiki' }).text).toBe('Linux\\|x64 Linux\\|x64 Linux|x64');
  });

  it('dotted and hyphenated names are whole names, braced or not', () => {
    expect(render('{{inline $uname.sysname}} {{inline ${uname.sysname}}} {{inline $my-attr}} {{inline ${my-attr}}}').text).toBe(
      'Darwin Darwin hyphenated hyphenated',
    );
  });

  it('an unknown attribute renders empty with the usual warning', () => {
    expect(render('[{{inline $nope}}]')).toEqual({ text: '[]', warnings: ['unknown attribute $nope'] });
  });

  it('strings, comments, [keys], raw blocks, literal text and this.$name keep their meaning', () => {
    expect(render('{{inline "$platform"}}|{{inline "${platform}"}}|{{!-- {{inline ${platform}}} --}}|{{lookup attributes "platform"}}').text).toBe(
      '$platform|${platform}||Linux',
    );
    expect(render('${platform} \\{{inline ${platform}}}').text).toBe('Linux {{inline Linux}}');
    expect(render('{{inline this.$platform}}|{{inline [${platform}]}}').text).toBe('|');
  });

  it('the ${name} rewrite touches mustache code only, as Handlebars lexes it', () => {
    const source = 'a ${x} {{f "${y}" ${z} [${w}]}} {{!-- ${c} --}} {{! ${d} }} \\{{g ${e}}} {{{{raw}}}}{{h ${r}}}{{{{/raw}}}} {{~i ${j}~}}';
    expect(bracketBracedParameters(source, parser.lexer, parser.terminals_)).toBe(
      'a ${x} {{f "${y}" [$z] [${w}]}} {{!-- ${c} --}} {{! ${d} }} \\{{g ${e}}} {{{{raw}}}}{{h ${r}}}{{{{/raw}}}} {{~i [$j]~}}',
    );
    // A template the lexer cannot read is left as it is, for the parser to report.
    expect(bracketBracedParameters('{{f ${a}}} {{!-- open', parser.lexer, parser.terminals_)).toBe('{{f ${a}}} {{!-- open');
  });

  it('${name} keeps error positions: the rewrite does not change lengths', () => {
    expect(compileTemplate('{{inline ${platform}}} {{upper $platform}}', 'subject')).toMatchObject({
      ok: false,
      line: 1,
      column: 24,
      error: "subject:1:24: unknown helper 'upper'",
    });
    expect(compileTemplate('${x} {{inline ${platform} ${a b}}}', 'subject')).toMatchObject({ ok: false, line: 1 });
  });

  it('on any text the rewrite keeps the length, changes only ${name} into [$name], and compiling never throws', () => {
    const pieces = fc.constantFrom('{{', '}}', '{{{', '}}}', '${a}', '${b.c}', '$x', '"', "'", '[', ']', '{{!--', '--}}', '{{!', '\\', ' ', 'f', '~', '(', ')', '#if', '/if');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const source = parts.join('');
        const out = bracketBracedParameters(source, parser.lexer, parser.terminals_);
        expect(out.length).toBe(source.length);
        expect(out.replace(/\[\$([A-Za-z0-9_.-]+)\]/g, '$${$1}')).toBe(source.replace(/\[\$([A-Za-z0-9_.-]+)\]/g, '$${$1}'));
        expect(() => compileTemplate(source, 'subject')).not.toThrow();
      }),
      { numRuns: 500, seed: 14 },
    );
  });
});
