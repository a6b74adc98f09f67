import { RENDER_LIMITS, TemplateError, buildTemplateContext, renderTemplate } from '@app/modules/templates';
import { group } from './fixtures';

const frames = (n: number) => Array.from({ length: n }, (_, i) => `frame_${i}`);

describe('render budget', () => {
  it('fails three nested {{#each}} over 100 frames quickly, with a clear message', () => {
    const ctx = buildTemplateContext(group({ callstack: frames(100) }));
    const nested = '{{#each callstack}}{{#each ../callstack}}{{#each ../../callstack}}{{this}}{{/each}}{{/each}}{{/each}}';
    const started = process.hrtime.bigint();
    let error: unknown;
    try {
      renderTemplate(nested, ctx, { escape: 'wiki', name: 'description' });
    } catch (err) {
      error = err;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toBe(
      `description: the template repeats blocks more than ${RENDER_LIMITS.iterations} times (nested {{#each}} over long lists); use fewer nested blocks`,
    );
    // The bound is what stops it: 20,000 iterations, not the 1,000,000 the template asks for.
    expect(ms).toBeLessThan(1000);
  });

  it('bounds the text produced, not only the iterations', () => {
    const ctx = buildTemplateContext(group({ callstack: frames(50), title: 'x'.repeat(1000) }));
    expect(() =>
      renderTemplate('{{#each callstack}}{{../title}}{{/each}}', ctx, { escape: 'none', name: 'description', limits: { iterations: 1000, outputChars: 10_000 } }),
    ).toThrow('description: the template produces more than 10000 characters; use fewer nested blocks');
  });

  it('lets an ordinary template over a long callstack through', () => {
    const ctx = buildTemplateContext(group({ callstack: frames(500) }));
    const out = renderTemplate('{code}\n{{#each callstack}}{{this}}\n{{/each}}{code}', ctx, { escape: 'wiki' });
    expect(out.text.split('\n')).toHaveLength(502);
  });

  it('counts iterations across separate blocks of one render, and starts afresh for the next render', () => {
    const ctx = buildTemplateContext(group({ callstack: frames(30) }));
    const limits = { iterations: 50, outputChars: 1_000_000 };
    const twice = '{{#each callstack}}a{{/each}}{{#each callstack}}b{{/each}}';
    expect(() => renderTemplate(twice, ctx, { escape: 'none', limits })).toThrow(TemplateError);
    const once = '{{#each callstack}}a{{/each}}';
    expect(renderTemplate(once, ctx, { escape: 'none', limits }).text).toBe('a'.repeat(30));
    expect(renderTemplate(once, ctx, { escape: 'none', limits }).text).toBe('a'.repeat(30));
  });
});
