import { buildIssueFields, buildTemplateContext, compileTemplate, lookupValueMap, renderTemplate, valueMapsUsed } from '@app/modules/templates';
import { FIELDS, group, settings } from './fixtures';

const ctx = buildTemplateContext(
  group({ attributes: { severity: { fatal: 3, error: 1 }, level: { warning: 2 }, env: { Production: 1 } } }),
);
const valueMaps = {
  severity: { fatal: 'Highest', error: 'High', '*': 'Medium' },
  strict: { production: 'prod' },
  markup: { fatal: '*bold* [x]' },
};

function render(source: string, escape: 'none' | 'wiki' = 'none') {
  return renderTemplate(source, ctx, { escape, valueMaps });
}

describe('the map helper', () => {
  it("gives the map's value for the key", () => {
    expect(render('{{map "severity" $severity}}')).toEqual({ text: 'Highest', warnings: [] });
    expect(render('{{map "severity" "error"}}').text).toBe('High');
  });

  it('falls back to the map\'s "*" entry for a key it does not list', () => {
    expect(render('{{map "severity" $level}}')).toEqual({ text: 'Medium', warnings: [] });
    // A missing attribute is the empty key: the fallback, and the attribute's own warning.
    expect(render('{{map "severity" $nothing}}')).toEqual({ text: 'Medium', warnings: ['unknown attribute $nothing'] });
  });

  it('renders empty with a warning when neither the key nor "*" is in the map', () => {
    expect(render('[{{map "strict" $level}}]')).toEqual({ text: '[]', warnings: ['no value for "warning" in value map "strict"'] });
  });

  it('compares keys exactly: case counts', () => {
    expect(render('{{map "strict" $env}}')).toEqual({ text: '', warnings: ['no value for "Production" in value map "strict"'] });
  });

  it('renders empty with a warning for a map the settings do not define', () => {
    expect(render('a{{map "sev" $severity}}b')).toEqual({ text: 'ab', warnings: ['unknown value map "sev"'] });
    expect(renderTemplate('{{map "severity" $severity}}', ctx, { escape: 'none' }).warnings).toEqual(['unknown value map "severity"']);
  });

  it('never reads through the prototype chain', () => {
    expect(render('{{map "constructor" "x"}}').warnings).toEqual(['unknown value map "constructor"']);
    expect(render('{{map "strict" "toString"}}').warnings).toEqual(['no value for "toString" in value map "strict"']);
  });

  it('works as a sub-expression and is escaped like any value in the description', () => {
    expect(render('{{#if (map "severity" $severity)}}p={{map "severity" $severity}}{{/if}}').text).toBe('p=Highest');
    expect(render('{{map "markup" $severity}} {{{map "markup" $severity}}}', 'wiki').text).toBe('\\*bold\\* \\[x\\] *bold* [x]');
  });

  it('is a known helper; a call without a quoted map name and a key is refused at validation', () => {
    expect(compileTemplate('{{map "severity" $severity}}', 'subject')).toEqual({ ok: true });
    for (const bad of ['{{map "severity"}}', '{{map severity $severity}}', '{{map "a" $b "c"}}', '{{map "a" $b x=1}}', '{{#map "a" $b}}x{{/map}}']) {
      const r = compileTemplate(bad, 'subject');
      expect(r).toMatchObject({ ok: false, line: 1, column: expect.any(Number) });
      if (!r.ok) expect(r.error).toMatch(/map/);
    }
    expect(compileTemplate('{{mapx "a" $b}}', 'subject')).toMatchObject({ ok: false, error: "subject:1:1: unknown helper 'mapx'" });
  });

  it('tells which maps a template uses', () => {
    expect(valueMapsUsed('{{map "severity" $severity}} {{#if x}}{{map "team" ${team}}}{{/if}} {{join (map "severity" "x")}}').sort()).toEqual(['severity', 'team']);
    expect(valueMapsUsed('no maps $here')).toEqual([]);
    expect(valueMapsUsed('{{#if}}')).toEqual([]);
  });
});

describe('lookupValueMap', () => {
  it('value, fallback, missing value, missing map', () => {
    expect(lookupValueMap(valueMaps, 'severity', 'fatal')).toEqual({ ok: true, value: 'Highest' });
    expect(lookupValueMap(valueMaps, 'severity', 'FATAL')).toEqual({ ok: true, value: 'Medium' });
    expect(lookupValueMap(valueMaps, 'strict', 'x')).toEqual({ ok: false, warning: 'no value for "x" in value map "strict"' });
    expect(lookupValueMap(undefined, 'strict', 'x')).toEqual({ ok: false, warning: 'unknown value map "strict"' });
  });
});

describe('buildIssueFields with value maps', () => {
  it("takes the maps from settings.valueMaps and sends the mapped priority in Jira's spelling", () => {
    const built = buildIssueFields({
      settings: settings({ valueMaps, customFields: [{ field: 'Priority', value: '{{map "severity" $severity}}' }] }),
      group: group({ attributes: { severity: { fatal: 1 } } }),
      fields: [...FIELDS.filter((f) => f.id !== 'priority'), { ...FIELDS.find((f) => f.id === 'priority')!, allowedValues: [{ id: '1', name: 'Highest' }, { id: '3', name: 'Medium' }] }],
      flavour: 'cloud',
      projectKey: 'CHK',
      issueType: { name: 'Bug' },
    });
    expect(built.errors).toEqual([]);
    expect(built.fields.priority).toEqual({ name: 'Highest' });
  });

  it('leaves the field out and warns when nothing maps', () => {
    const built = buildIssueFields({
      settings: settings({ valueMaps: { strict: { x: 'High' } }, customFields: [{ field: 'Priority', value: '{{map "strict" $platform}}' }] }),
      group: group(),
      fields: FIELDS,
      flavour: 'cloud',
      projectKey: 'CHK',
      issueType: { name: 'Bug' },
    });
    expect(built.fields.priority).toBeUndefined();
    expect(built.warnings).toContain('no value for "Linux" in value map "strict"');
  });
});
