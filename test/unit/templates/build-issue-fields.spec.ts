import { BuildIssueFieldsInput, buildIssueFields } from '@app/modules/templates';
import { FIELDS, group, settings } from './fixtures';

function build(overrides: Partial<BuildIssueFieldsInput> = {}) {
  return buildIssueFields({
    settings: settings(),
    group: group(),
    fields: FIELDS,
    flavour: 'cloud',
    projectKey: 'CHK',
    issueType: { name: 'Bug' },
    ...overrides,
  });
}

describe('buildIssueFields', () => {
  it('builds project, issue type, summary, description and labels', () => {
    const r = build();
    expect(Object.keys(r.fields)).toEqual(['project', 'issuetype', 'summary', 'description', 'labels']);
    expect(r.fields.project).toEqual({ key: 'CHK' });
    expect(r.fields.issuetype).toEqual({ name: 'Bug' });
    expect(r.fields.summary).toBe('[2.4.0] SIGSEGV in parse_header');
    expect(r.fields.description).toContain('h3. SIGSEGV in parse_header');
    expect(r.fields.description).toContain('||Attribute||Top value||Count||');
    expect(r.fields.labels).toEqual(['crashbridge', 'Linux']);
    expect(r.warnings).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('uses the issue type id when known', () => {
    expect(build({ issueType: { id: '10004', name: 'Bug' } }).fields.issuetype).toEqual({ id: '10004' });
  });

  it('summary is one line, unescaped', () => {
    const r = build({ group: group({ title: '*bold*\n  second line' }) });
    expect(r.fields.summary).toBe('[2.4.0] *bold* second line');
  });

  it('falls back to the title when the subject renders empty', () => {
    const r = build({ settings: settings({ subject: '$nothing' }) });
    expect(r.fields.summary).toBe('SIGSEGV in parse_header');
    expect(r.warnings).toEqual(['unknown attribute $nothing', 'subject rendered empty; the group title is used as summary']);
  });

  it('truncates the summary to exactly 255 without splitting a surrogate pair', () => {
    const fits = build({ settings: settings({ subject: 'x'.repeat(255) }) });
    expect(fits.fields.summary).toBe('x'.repeat(255));
    expect(fits.warnings).toEqual([]);

    const title = 'a'.repeat(253) + '😀' + 'tail'; // the emoji sits on code units 253-254
    const cut = build({ settings: settings({ subject: '{{title}}' }), group: group({ title }) });
    expect(cut.fields.summary).toBe('a'.repeat(253) + '…');
    expect((cut.fields.summary as string).length).toBeLessThanOrEqual(255);
    expect(cut.warnings).toEqual(['Summary truncated to 255 characters']);
  });

  it('truncates the description to 32,767 on a character boundary and closes the code block', () => {
    const frame = 'f'.repeat(1000);
    const r = build({ group: group({ callstack: Array.from({ length: 40 }, () => frame) }) });
    const description = r.fields.description as string;
    expect(description.length).toBeLessThanOrEqual(32_767);
    expect(description.endsWith('\n{code}\n\n(truncated)')).toBe(true);
    expect(r.warnings).toEqual(['Description truncated to 32767 characters']);

    const exact = build({ settings: settings({ description: '{{title}}' }), group: group({ title: 'd'.repeat(32_767) }) });
    expect(exact.fields.description).toBe('d'.repeat(32_767));

    const pair = build({
      settings: settings({ description: '{{title}}' }),
      group: group({ title: 'd'.repeat(32_766) + '😀' }),
    });
    const text = pair.fields.description as string;
    expect(text.length).toBeLessThanOrEqual(32_767);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('escapes report values in the description', () => {
    const r = build({
      group: group({ title: 'crash in *bold* code', callstack: ['main', 'evil {code} frame'] }),
    });
    const description = r.fields.description as string;
    expect(description).toContain('h3. crash in \\*bold\\* code');
    expect(description).toContain('evil {\u200Bcode} frame');
    expect(description.match(/\{code\}/g)).toHaveLength(2);
  });

  it('labels: comma list, trimmed, deduplicated, spaces become _, marker appended last', () => {
    const r = build({
      settings: settings({ labels: ' crashbridge , Red Hat, crashbridge,, $platform ' }),
      marker: { label: 'crashbridge-fp-5f2c9a0e7d' },
    });
    expect(r.fields.labels).toEqual(['crashbridge', 'Red_Hat', 'Linux', 'crashbridge-fp-5f2c9a0e7d']);
  });

  it('the marker is present even with no labels', () => {
    const r = build({ settings: settings({ labels: '' }), marker: { label: 'cb-1' } });
    expect(r.fields.labels).toEqual(['cb-1']);
  });

  it('custom fields by name (case-insensitive) and by id, coerced by schema', () => {
    const r = build({
      settings: settings({
        customFields: [
          { field: 'platform', value: '$platform' },
          { field: 'customfield_10011', value: '$version, nightly build' },
          { field: 'STORY POINTS', value: '{{count}}' },
          { field: 'Priority', value: 'High' },
        ],
      }),
    });
    expect(r.errors).toEqual([]);
    expect(r.fields.customfield_10010).toEqual({ value: 'Linux' });
    expect(r.fields.customfield_10011).toEqual(['2.4.0', 'nightly_build']);
    expect(r.fields.customfield_10012).toBe(12);
    expect(r.fields.priority).toEqual({ name: 'High' });
    expect(Object.keys(r.fields).slice(5)).toEqual(['customfield_10010', 'customfield_10011', 'customfield_10012', 'priority']);
  });

  it('an unknown custom field is an error naming it', () => {
    const r = build({ settings: settings({ customFields: [{ field: 'Platfrom', value: '$platform' }] }) });
    expect(r.errors).toEqual([{ field: 'Platfrom', message: "unknown Jira field 'Platfrom'" }]);
    expect(r.fields).not.toHaveProperty('Platfrom');
  });

  it('coercion failures are errors naming the field', () => {
    const r = build({
      group: group({ attributes: { platform: { Solaris: 3 } } }),
      settings: settings({ customFields: [{ field: 'Platform', value: '$platform' }, { field: 'Story points', value: 'many' }] }),
    });
    expect(r.errors).toEqual([
      { field: 'customfield_10010', message: "value 'Solaris' is not allowed for field 'Platform' (allowed: Linux, Windows, macOS)" },
      { field: 'customfield_10012', message: "value 'many' is not a number for field 'Story points'" },
    ]);
  });

  it('an empty custom field value is left out; unknown attributes are warnings', () => {
    const r = build({ settings: settings({ customFields: [{ field: 'Platform', value: '$platfrom' }] }) });
    expect(r.fields).not.toHaveProperty('customfield_10010');
    expect(r.warnings).toEqual(['unknown attribute $platfrom']);
    expect(r.errors).toEqual([]);
  });

  it('fieldMapping puts the body text and labels into other fields', () => {
    const r = build({
      settings: settings({ fieldMapping: { description: 'Crash details', labels: 'customfield_10011' } }),
      marker: { label: 'cb-1' },
    });
    expect(r.fields).not.toHaveProperty('description');
    expect(r.fields).not.toHaveProperty('labels');
    expect(r.fields.customfield_10013).toContain('h3. SIGSEGV in parse_header');
    expect(r.fields.customfield_10011).toEqual(['crashbridge', 'Linux', 'cb-1']);
  });

  it('custom fields may override summary, description and labels', () => {
    const r = build({
      settings: settings({
        customFields: [
          { field: 'summary', value: 'Crash: {{title}}' },
          { field: 'description', value: '*Title:* {{title}}' },
          { field: 'labels', value: 'one, two' },
        ],
      }),
      group: group({ title: 'a*b*' }),
      marker: { label: 'cb-1' },
    });
    expect(r.fields.summary).toBe('Crash: a*b*');
    expect(r.fields.description).toBe('*Title:* a*b\\*'); // in-word * stays, the closing one is escaped
    expect(r.fields.labels).toEqual(['one', 'two', 'cb-1']);
  });

  it('project and issue type cannot be set as custom fields', () => {
    const r = build({ settings: settings({ customFields: [{ field: 'project', value: 'X' }] }) });
    expect(r.errors).toEqual([{ field: 'project', message: "field 'Project' is set by the projectKey setting" }]);
    expect(r.fields.project).toEqual({ key: 'CHK' });
  });

  it('single-line text fields get one line and 255 characters at most', () => {
    const r = build({ settings: settings({ customFields: [{ field: 'Build', value: 'a\nb{{title}}' }] }) });
    expect(r.fields.customfield_10014).toBe('a bSIGSEGV in parse_header');
  });

  it('text custom fields escape report values for wiki markup; the template text stays markup', () => {
    const hostile = '9.9.9 [~accountid:5b10a2844c20165700ede21g] !https://attacker.example/track.png! [click|https://attacker.example/login]';
    const r = build({
      group: group({ attributes: { version: { [hostile]: 3 } } }),
      settings: settings({
        customFields: [
          { field: 'Crash details', value: '*Version:* $version' },
          { field: 'Build', value: '{{attributes.version.top}}' },
        ],
      }),
    });
    const escaped = '9.9.9 \\[\\~accountid:5b10a2844c20165700ede21g\\] \\!https://attacker.example/track.png! \\[click\\|https://attacker.example/login\\]';
    expect(r.fields.customfield_10013).toBe(`*Version:* ${escaped}`);
    expect(r.fields.customfield_10014).toBe(escaped);
    // The summary is plain text in Jira: nothing there is ever rendered as markup.
    expect(r.fields.summary).toBe(`[${hostile}] SIGSEGV in parse_header`);
  });

  it('users map per flavour', () => {
    const fields = [...FIELDS, { id: 'assignee', name: 'Assignee', schema: { type: 'user', system: 'assignee' } }];
    const s = settings({ customFields: [{ field: 'Assignee', value: 'alice' }] });
    expect(build({ fields, settings: s, flavour: 'cloud' }).fields.assignee).toEqual({ accountId: 'alice' });
    expect(build({ fields, settings: s, flavour: 'datacenter' }).fields.assignee).toEqual({ name: 'alice' });
  });

  it('a broken template is an error for its field, not an exception', () => {
    const r = build({ settings: settings({ subject: '{{#if title}}oops' }) });
    expect(r.fields).not.toHaveProperty('summary');
    expect(r.errors).toEqual([{ field: 'summary', message: expect.stringMatching(/^subject:1:\d+: unexpected end of template/) }]);
  });

  it('works without field metadata for the system fields', () => {
    const r = build({ fields: [] });
    expect(r.errors).toEqual([]);
    expect(r.fields.labels).toEqual(['crashbridge', 'Linux']);
  });

  it('sets Affects versions chosen by the versions setting, before the marker; a custom field template for them wins', () => {
    const fields = [...FIELDS, { id: 'versions', name: 'Affects versions', schema: { type: 'array', items: 'version', system: 'versions' } }];
    const chosen = build({ fields, affectedVersions: [{ id: '10101' }], marker: { label: 'cb-x' } });
    expect(Object.keys(chosen.fields).slice(-2)).toEqual(['labels', 'versions']);
    expect(chosen.fields.versions).toEqual([{ id: '10101' }]);
    expect(build({ fields, affectedVersions: [] }).fields).not.toHaveProperty('versions');
    const templated = build({ fields, affectedVersions: [{ id: '10101' }], settings: settings({ customFields: [{ field: 'Affects versions', value: '2.5.0' }] }) });
    expect(templated.fields.versions).toEqual([{ name: '2.5.0' }]);
    expect(templated.warnings).toContain('Affects versions is set by a custom field; the versions setting is not used');
  });

  it('is deterministic', () => {
    const input = {
      settings: settings({ customFields: [{ field: 'Platform', value: '$platform' }] }),
      group: group({ attributes: { platform: { Linux: 2, Windows: 2 }, version: { '1.9.0': 1, '1.10.0': 1 } } }),
    };
    const a = build(input);
    const b = build(input);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.fields.summary).toBe('[1.10.0] SIGSEGV in parse_header');
    expect(a.fields.customfield_10010).toEqual({ value: 'Windows' });
  });
});
