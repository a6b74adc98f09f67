import {
  DEFAULT_DESCRIPTION_TEMPLATE,
  buildTemplateContext,
  compileTemplate,
  renderTemplate,
} from '@app/modules/templates';
import { group } from './fixtures';

function describeGroup(overrides: Parameters<typeof group>[0] = {}): string {
  return renderTemplate(DEFAULT_DESCRIPTION_TEMPLATE, buildTemplateContext(group(overrides)), { escape: 'wiki' }).text;
}

describe('default description', () => {
  it('compiles', () => {
    expect(compileTemplate(DEFAULT_DESCRIPTION_TEMPLATE, 'description')).toEqual({ ok: true });
  });

  it('renders title, link, counts, dates, top values table and callstack', () => {
    expect(describeGroup()).toBe(
      [
        'h3. SIGSEGV in parse_header',
        '',
        '[View in the error tracker|https://errors.example.com/checkout-web/fingerprint/5f2c9a0e7d]',
        '',
        '||Occurrences|12|',
        '||First seen|2026-11-20T10:00:00Z|',
        '||Last seen|2026-11-24T09:00:00Z|',
        '||State|open|',
        '||Fingerprint|5f2c9a0e7d|',
        '||Classifiers|SIGSEGV, null-deref|',
        '',
        'h4. Top attribute values',
        '||Attribute||Top value||Count||',
        '|platform|Linux|12|',
        '|version|2.4.0|10|',
        '',
        'h4. Callstack',
        '{code}',
        'parse_header',
        'read_request',
        'main',
        '{code}',
        '',
      ].join('\n'),
    );
  });

  it('escapes report values and keeps the code block closed', () => {
    const out = describeGroup({
      title: 'crash in *bold* [x]',
      callstack: ['frame one', 'evil {code} frame', '{noformat}'],
      attributes: { 'bad|name': { 'v|1\nv2': 1 } },
    });
    expect(out).toContain('h3. crash in \\*bold\\* \\[x\\]');
    expect(out).toContain('|bad\\|name|v\\|1 v2|1|');
    const code = out.slice(out.indexOf('{code}') + '{code}'.length, out.lastIndexOf('{code}'));
    expect(code).not.toMatch(/\{(code|noformat)[:}]/);
    expect(code).toContain('evil {\u200Bcode} frame');
  });

  it('leaves out empty sections', () => {
    const out = describeGroup({ link: null, classifiers: [], attributes: {}, callstack: [] });
    expect(out).not.toContain('View in the error tracker');
    expect(out).not.toContain('Classifiers');
    expect(out).not.toContain('Top attribute values');
    expect(out).not.toContain('{code}');
    expect(out).toContain('||Occurrences|12|');
  });
});
