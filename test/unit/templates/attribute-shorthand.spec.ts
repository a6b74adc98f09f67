import { buildTemplateContext, renderTemplate, splitShorthand } from '@app/modules/templates';
import { group } from './fixtures';

const ctx = buildTemplateContext(
  group({
    attributes: {
      version: { '1.9.0': 5, '1.10.0': 5 },
      platform: { Linux: 12, Windows: 3 },
      build: { '20': 1 },
      'uname.sysname': { Darwin: 2 },
      'my-attr': { hyphenated: 1 },
    },
  }),
);

function render(source: string) {
  return renderTemplate(source, ctx, { escape: 'none' });
}

describe('splitShorthand', () => {
  it('splits text and attribute references', () => {
    expect(splitShorthand('v$version on ${platform}!')).toEqual([
      { kind: 'text', text: 'v' },
      { kind: 'attribute', name: 'version' },
      { kind: 'text', text: ' on ' },
      { kind: 'attribute', name: 'platform' },
      { kind: 'text', text: '!' },
    ]);
  });

  it('keeps $$ and a $ that starts no name as literal $', () => {
    expect(splitShorthand('$$version costs $5 or $ or ${} or ${a b}')).toEqual([
      { kind: 'text', text: '$version costs $5 or $ or ${} or ${a b}' },
    ]);
  });
});

describe('attribute shorthand in templates', () => {
  it('$version renders the top value', () => {
    expect(render('$version').text).toBe('1.10.0'); // tie 5/5: 1.10.0 beats 1.9.0
    expect(render('$platform').text).toBe('Linux');
  });

  it('${name} is delimited by braces', () => {
    expect(render('${build}x').text).toBe('20x');
    expect(render('${my-attr}').text).toBe('hyphenated');
  });

  it('$$ is a literal $', () => {
    expect(render('price: $$5, var $$version').text).toBe('price: $5, var $version');
  });

  it('works inside text and next to punctuation', () => {
    expect(render('[$version] crash on $platform, build ${build}.').text).toBe('[1.10.0] crash on Linux, build 20.');
    expect(render('($platform)').text).toBe('(Linux)');
    expect(render('$platform/$version').text).toBe('Linux/1.10.0');
    expect(render('$platform-$version').text).toBe('Linux-1.10.0');
  });

  it('dotted names work, and a sentence-ending dot is not part of the name', () => {
    expect(render('$uname.sysname').text).toBe('Darwin');
    expect(render('seen on $platform.').text).toBe('seen on Linux.');
  });

  it('an unknown attribute renders empty with a warning (once)', () => {
    const r = render('a $platfrom b $platfrom c');
    expect(r.text).toBe('a  b  c');
    expect(r.warnings).toEqual(['unknown attribute $platfrom']);
  });

  it('does not resolve names through the prototype chain', () => {
    const r = render('$constructor${__proto__}');
    expect(r.text).toBe('');
    expect(r.warnings).toEqual(['unknown attribute $constructor', 'unknown attribute $__proto__']);
  });

  it('in templates applies to literal text, never to comments or strings', () => {
    expect(render('{{#if title}}yes $platform{{/if}}').text).toBe('yes Linux');
    expect(render('{{"$version"}}|{{!-- $version --}}|{{lookup attributes "$version"}}').text).toBe('||');
    expect(render('{{#each classifiers}}{{this}}:$platform {{/each}}').text).toBe('SIGSEGV:Linux null-deref:Linux ');
  });

  it('leaves Handlebars syntax intact', () => {
    expect(render('{{#each attributes}}{{@key}}={{top}};{{/each}}').text).toBe(
      'build=20;my-attr=hyphenated;platform=Linux;uname.sysname=Darwin;version=1.10.0;',
    );
    expect(render('${{title}}').text).toBe('$SIGSEGV in parse_header');
    expect(render('\\{{title}} $platform').text).toBe('{{title}} Linux');
    expect(render('C:\\$platform').text).toBe('C:\\Linux');
  });

  it('is also available as the attr helper, e.g. inside conditions', () => {
    expect(render('{{#if (attr "platform")}}on {{attr "platform"}}{{/if}}').text).toBe('on Linux');
  });
});
