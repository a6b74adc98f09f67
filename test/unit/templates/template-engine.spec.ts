import {
  TemplateError,
  buildTemplateContext,
  compileTemplate,
  renderTemplate,
} from '@app/modules/templates';
import { TEMPLATE_CACHE_SIZE, isTemplateCached, templateCacheSize } from '@app/modules/templates/template-engine';
import { group } from './fixtures';

const ctx = buildTemplateContext(
  group({
    title: '*bold* crash in [parser] {code}',
    callstack: ['operator*(a_b)', 'evil {code} frame', 'main'],
    attributes: { version: { '2.4.0': 10 }, platform: { 'Linux|x64': 3 } },
  }),
);

describe('renderTemplate', () => {
  it("escape 'none' prints values as they are", () => {
    expect(renderTemplate('{{title}} / {{count}}', ctx, { escape: 'none' }).text).toBe(
      '*bold* crash in [parser] {code} / 12',
    );
  });

  it("escape 'wiki' escapes {{values}} but not the template's own markup", () => {
    expect(renderTemplate('*Title:* {{title}}', ctx, { escape: 'wiki' }).text).toBe(
      '*Title:* \\*bold\\* crash in \\[parser\\] \\{code\\}',
    );
  });

  it('{{{triple}}} stays raw, as in Handlebars', () => {
    expect(renderTemplate('{{{title}}}', ctx, { escape: 'wiki' }).text).toBe('*bold* crash in [parser] {code}');
  });

  it('escapes shorthand values too', () => {
    expect(renderTemplate('on $platform', ctx, { escape: 'wiki' }).text).toBe('on Linux\\|x64');
  });

  it('keeps values verbatim inside {code}, except that they cannot close it', () => {
    const out = renderTemplate('{code}\n{{#each callstack}}\n{{this}}\n{{/each}}\n{code}\n{{title}}', ctx, {
      escape: 'wiki',
    }).text;
    expect(out).toBe('{code}\noperator*(a_b)\nevil {\u200Bcode} frame\nmain\n{code}\n\\*bold\\* crash in \\[parser\\] \\{code\\}');
  });

  it('keeps table cells on one line and encodes link targets', () => {
    const c = buildTemplateContext(group({ title: 'two\nlines', link: 'https://x.example/a b' }));
    expect(renderTemplate('|{{title}}|\n[open|{{link}}]', c, { escape: 'wiki' }).text).toBe(
      '|two lines|\n[open|https://x.example/a%20b]',
    );
  });

  it('prints arrays as lists and an attribute as its top value', () => {
    expect(renderTemplate('{{classifiers}} {{attributes.version}} {{join callstack " > "}}', ctx, { escape: 'none' }).text).toBe(
      'SIGSEGV, null-deref 2.4.0 operator*(a_b) > evil {code} frame > main',
    );
  });

  it('exposes the documented context', () => {
    const out = renderTemplate(
      '{{fingerprint}} {{state}} {{firstSeen}} {{lastSeen}} {{link}} {{project.key}} {{project.name}} ' +
        '{{#each attributes.version.values}}{{value}}x{{count}}{{/each}} {{attributes.version.top}}',
      ctx,
      { escape: 'none' },
    ).text;
    expect(out).toBe(
      '5f2c9a0e7d open 2026-11-20T10:00:00Z 2026-11-24T09:00:00Z https://errors.example.com/checkout-web/fingerprint/5f2c9a0e7d checkout-web Checkout web 2.4.0x10 2.4.0',
    );
  });

  it('does not expose prototype properties', () => {
    const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(renderTemplate('{{title.constructor}}{{lookup title "constructor"}}', ctx, { escape: 'none' }).text).toBe('');
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('throws a TemplateError with position for a broken template', () => {
    expect(() => renderTemplate('x {{#if title}}', ctx, { escape: 'none', name: 'subject' })).toThrow(TemplateError);
    expect(() => renderTemplate('x {{#if title}}', ctx, { escape: 'none', name: 'subject' })).toThrow(/^subject:1:16: /);
  });

  it('reports run-time template errors as TemplateError', () => {
    expect(() => renderTemplate('{{#each}}x{{/each}}', ctx, { escape: 'none', name: 'labels' })).toThrow(TemplateError);
  });

  it('keeps whitespace control and standalone block lines', () => {
    expect(renderTemplate('a  {{~title~}}  b', ctx, { escape: 'none' }).text).toBe('a*bold* crash in [parser] {code}b');
    expect(renderTemplate('x\n{{#each classifiers}}\n- {{this}}\n{{/each}}\ny', ctx, { escape: 'wiki' }).text).toBe(
      'x\n- SIGSEGV\n- null-deref\ny',
    );
  });

  it('accepts CRLF templates', () => {
    expect(renderTemplate('|{{title}}|\r\n{{#if link}}\r\nok\r\n{{/if}}\r\n', ctx, { escape: 'wiki' }).text).toBe(
      '|\\*bold\\* crash in \\[parser\\] \\{code\\}|\r\nok\r\n',
    );
  });

  it('gives the same result from the cache', () => {
    const a = renderTemplate('[$version] {{title}}', ctx, { escape: 'wiki' });
    const b = renderTemplate('[$version] {{title}}', ctx, { escape: 'wiki' });
    const c = renderTemplate('[$version] {{title}}', ctx, { escape: 'none' });
    expect(b).toEqual(a);
    expect(c.text).toBe('[2.4.0] *bold* crash in [parser] {code}');
  });
});

describe('compileTemplate', () => {
  it('accepts valid templates', () => {
    expect(compileTemplate('[$version] {{title}}', 'subject')).toEqual({ ok: true });
    expect(compileTemplate('{{#each attributes}}{{@key}}{{else}}none{{/each}}', 'description')).toEqual({ ok: true });
  });

  it('reports an unclosed block at line:column', () => {
    const r = compileTemplate('h3. {{title}}\n{{#if link}}\n[open|{{link}}]', 'description');
    expect(r).toMatchObject({ ok: false, line: 3 });
    if (r.ok) throw new Error('expected an error');
    expect(r.error).toMatch(/^description:3:\d+: unexpected end of template: a \{\{#block\}\} is not closed/);
  });

  it('reports a syntax error inside a mustache with its position', () => {
    const r = compileTemplate('line one\nline two {{foo bar=}}', 'subject');
    expect(r).toEqual({
      ok: false,
      line: 2,
      column: 20,
      error: expect.stringMatching(/^subject:2:20: unexpected '\}\}'/),
    });
  });

  it('reports mismatched blocks and unknown helpers with positions', () => {
    expect(compileTemplate('a\n  {{#each callstack}}x{{/if}}', 'description')).toEqual({
      ok: false,
      line: 2,
      column: 6,
      error: "description:2:6: each doesn't match if",
    });
    expect(compileTemplate('{{title}}\n {{upper title}}', 'subject')).toEqual({
      ok: false,
      line: 2,
      column: 2,
      error: "subject:2:2: unknown helper 'upper'",
    });
  });

  it('rejects partials and reports unterminated comments', () => {
    expect(compileTemplate('x {{> footer}}', 'description')).toMatchObject({ ok: false, line: 1, column: 3 });
    const r = compileTemplate('ok\n{{!-- never closed', 'description');
    expect(r).toMatchObject({ ok: false, line: 2 });
  });
});

describe('template cache', () => {
  it('is bounded', () => {
    for (let i = 0; i < TEMPLATE_CACHE_SIZE + 50; i++) compileTemplate(`{{title}} #${i}`, 'subject');
    expect(templateCacheSize()).toBe(TEMPLATE_CACHE_SIZE);
  });

  it('evicts the least recently used entry', () => {
    const a = '{{title}} lru-a';
    const fillers = Array.from({ length: TEMPLATE_CACHE_SIZE - 1 }, (_, i) => `{{title}} lru-filler-${i}`);
    compileTemplate(a, 'subject');
    for (const f of fillers) compileTemplate(f, 'subject');
    compileTemplate(a, 'subject'); // used again: now the most recent
    compileTemplate('{{title}} lru-c', 'subject');
    expect(isTemplateCached(fillers[0])).toBe(false);
    expect(isTemplateCached(a)).toBe(true);
    expect(isTemplateCached('{{title}} lru-c')).toBe(true);
    expect(templateCacheSize()).toBe(TEMPLATE_CACHE_SIZE);
  });
});
