import { milestoneComment } from '@app/modules/issue-updates/milestone-comment';
import { carriesMarker as carriesMilestoneMarker, milestoneMarker } from '@app/modules/jira/client';
import { renderUpdateFields } from '@app/modules/issue-updates/render-update-fields';
import { milestonesProblem, updateFieldsProblem } from '@app/modules/jira-settings/dto/updates.dto';
import { FIELDS, group } from '../templates/fixtures';

describe('renderUpdateFields', () => {
  it('renders each field from the group, by id or name, coerced to the field type', () => {
    const out = renderUpdateFields(
      [
        { field: 'Story points', value: '{{count}}' },
        { field: 'customfield_10010', value: '$platform' },
        { field: 'labels', value: 'crashbridge, $version' },
        { field: 'Build', value: 'seen\n{{count}} times' },
      ],
      group(),
      FIELDS,
      'cloud',
    );
    expect(out).toEqual({
      fields: { customfield_10012: 12, customfield_10010: { value: 'Linux' }, labels: ['crashbridge', '2.4.0'], customfield_10014: 'seen 12 times' },
      errors: [],
    });
  });

  it('escapes report values in wiki text fields and leaves out a field whose template renders empty', () => {
    const out = renderUpdateFields(
      [
        { field: 'Crash details', value: 'Title: {{title}}' },
        { field: 'Build', value: '{{#if link}}{{/if}}' },
      ],
      group({ title: '*bold* [link|http://x]' }),
      FIELDS,
      'cloud',
    );
    expect(out.errors).toEqual([]);
    expect(Object.keys(out.fields)).toEqual(['customfield_10013']);
    expect(out.fields.customfield_10013).not.toContain('[link|http://x]');
  });

  it('names the field of each problem: unknown, a value the field does not take', () => {
    const out = renderUpdateFields(
      [
        { field: 'No such field', value: 'x' },
        { field: 'Platform', value: 'BeOS' },
        { field: 'Story points', value: '{{title}}' },
      ],
      group(),
      FIELDS,
      'cloud',
    );
    expect(out.fields).toEqual({});
    expect(out.errors.map((e) => e.field)).toEqual(['No such field', 'customfield_10010', 'customfield_10012']);
  });
});

describe('updates settings rules', () => {
  it('milestones: distinct whole counts from 1', () => {
    expect(milestonesProblem([100, 1000, 10])).toBeNull();
    expect(milestonesProblem([100, 100])).toBe('[1] repeats 100');
    expect(milestonesProblem([1.5])).toMatch(/^\[0\] must be an integer from 1/);
    expect(milestonesProblem('100')).toBe('must be an array of counts');
    expect(milestonesProblem(Array.from({ length: 21 }, (_, i) => i + 1))).toBe('must have at most 20 entries');
  });

  it('fields: not project or issue type, each field once (ignoring case)', () => {
    expect(updateFieldsProblem([{ field: 'labels', value: '' }, { field: 'Severity', value: '' }])).toBeNull();
    expect(updateFieldsProblem([{ field: 'IssueType', value: 'x' }])).toMatch(/^fields\[0\]\.field: issuetype is set when the issue is created/);
    expect(updateFieldsProblem([{ field: 'Labels', value: 'a' }, { field: ' labels ', value: 'b' }])).toBe('fields[1].field: the field is already written by fields[0]');
  });
});

describe('milestone comment', () => {
  it('says the count with separators, when it was first and last seen, and carries a marker a retry recognises', () => {
    const marker = milestoneMarker('42', 1000);
    const text = milestoneComment({ milestone: 1000, firstSeen: new Date('2026-11-20T10:00:00Z'), lastSeen: new Date('2026-12-06T09:30:00Z'), marker });
    expect(text).toBe(`This error has now occurred 1,000 times (first seen 2026-11-20 10:00 UTC, last seen 2026-12-06 09:30 UTC).\n${marker}`);
    expect(carriesMilestoneMarker(text, marker)).toBe(true);
    // 100's marker is a prefix of 1000's; another group's differs.
    expect(carriesMilestoneMarker(text, milestoneMarker('42', 100))).toBe(false);
    expect(carriesMilestoneMarker(text, milestoneMarker('43', 1000))).toBe(false);
  });
});
