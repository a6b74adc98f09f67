import { MappedValueSettings, mappedValueProblems } from '@app/modules/tickets/connection-test/mapped-value-checks';
import { FieldMeta } from '@app/modules/templates';

const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'].map((name, i) => ({ id: String(i + 1), name }));

const FIELDS: FieldMeta[] = [
  { id: 'summary', name: 'Summary', schema: { type: 'string', system: 'summary' } },
  { id: 'description', name: 'Description', schema: { type: 'string', system: 'description' } },
  { id: 'labels', name: 'Labels', schema: { type: 'array', items: 'string', system: 'labels' } },
  { id: 'priority', name: 'Priority', schema: { type: 'priority', system: 'priority' }, allowedValues: PRIORITIES, onScreen: true },
  {
    id: 'components', name: 'Components', schema: { type: 'array', items: 'component', system: 'components' },
    allowedValues: [{ id: '10200', name: 'Backend' }, { id: '10201', name: 'Frontend' }], onScreen: true,
  },
  {
    id: 'customfield_10010', name: 'Platform', schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
    allowedValues: [{ id: '1', value: 'Linux' }, { id: '2', value: 'Windows' }], onScreen: true,
  },
  { id: 'customfield_10020', name: 'Team', schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' } },
];

function settings(overrides: Partial<MappedValueSettings>): MappedValueSettings {
  return { projectKey: 'CHK', subject: '{{title}}', labels: 'crashbridge', description: '', fieldMapping: {}, customFields: [], valueMaps: {}, ...overrides };
}

describe('mappedValueProblems', () => {
  it('names each mapped value, fallback included, that the priority field does not allow', () => {
    const problems = mappedValueProblems(
      settings({
        valueMaps: { severity: { fatal: 'Urgent', error: 'high', warning: 'Low', '*': 'Normal' } },
        customFields: [{ field: 'Priority', value: '{{map "severity" $severity}}' }],
      }),
      FIELDS,
    );
    expect(problems).toEqual([
      'valueMaps.severity.fatal: "Urgent" is not a priority of CHK (Highest, High, Medium, Low, Lowest)',
      'valueMaps.severity["*"]: "Normal" is not a priority of CHK (Highest, High, Medium, Low, Lowest)',
    ]);
  });

  it('checks a list field item by item, and options by their value', () => {
    const problems = mappedValueProblems(
      settings({
        valueMaps: { team: { pay: 'Backend, Billing', 'QA team': 'Frontend' }, os: { linux: 'Linux', mac: 'macOS' } },
        customFields: [
          { field: 'components', value: '{{map "team" $team}}' },
          { field: 'Platform', value: '{{#if $os}}{{map "os" $os}}{{/if}}' },
        ],
      }),
      FIELDS,
    );
    expect(problems).toEqual([
      'valueMaps.team.pay: "Billing" is not a component of CHK (Backend, Frontend)',
      "valueMaps.os.mac: \"macOS\" is not an option of field 'Platform' (Linux, Windows)",
    ]);
  });

  it('leaves alone fields without allowed values, templates without map, and maps no template uses', () => {
    const s = settings({
      subject: '{{map "severity" $severity}} {{title}}',
      valueMaps: { severity: { fatal: 'Urgent' }, unused: { x: 'Nope' } },
      customFields: [{ field: 'Team', value: '{{map "severity" $severity}}' }, { field: 'Priority', value: 'High' }],
    });
    expect(mappedValueProblems(s, FIELDS)).toEqual([]);
  });

  it('names a map a template uses that valueMaps does not define, and skips unresolved fields', () => {
    const s = settings({
      labels: '{{map "labels" $platform}}',
      customFields: [{ field: 'Nope', value: '{{map "x" $y}}' }],
    });
    expect(mappedValueProblems(s, FIELDS)).toEqual(["value map \"labels\" used for field 'Labels' is not defined in valueMaps"]);
  });

  it('quotes keys that are not plain words, and says when Jira offers nothing', () => {
    const fields = FIELDS.map((f) => (f.id === 'components' ? { ...f, allowedValues: [] } : f));
    const s = settings({ valueMaps: { team: { 'QA team': 'Backend' } }, customFields: [{ field: 'Components', value: '{{map "team" $team}}' }] });
    expect(mappedValueProblems(s, fields)).toEqual(['valueMaps.team["QA team"]: "Backend" is not a component of CHK (none)']);
  });
});
