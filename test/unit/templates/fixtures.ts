import type { FieldMeta, TemplateGroup, TemplateSettings } from '@app/modules/templates';

export function group(overrides: Partial<TemplateGroup> = {}): TemplateGroup {
  return {
    fingerprint: '5f2c9a0e7d',
    title: 'SIGSEGV in parse_header',
    callstack: ['parse_header', 'read_request', 'main'],
    classifiers: ['SIGSEGV', 'null-deref'],
    count: 12,
    firstSeen: '2026-11-20T10:00:00Z',
    lastSeen: '2026-11-24T09:00:00Z',
    link: 'https://errors.example.com/checkout-web/fingerprint/5f2c9a0e7d',
    state: 'open',
    attributes: { version: { '2.4.0': 10, '2.5.0': 2 }, platform: { Linux: 12 } },
    project: { key: 'checkout-web', name: 'Checkout web' },
    ...overrides,
  };
}

export function settings(overrides: Partial<TemplateSettings> = {}): TemplateSettings {
  return { subject: '[$version] {{title}}', labels: 'crashbridge, $platform', customFields: [], ...overrides };
}

/** A slice of GET /rest/api/2/field as Jira Cloud answers it. */
export const FIELDS: FieldMeta[] = [
  { id: 'summary', name: 'Summary', schema: { type: 'string', system: 'summary' } },
  { id: 'description', name: 'Description', schema: { type: 'string', system: 'description' } },
  { id: 'labels', name: 'Labels', schema: { type: 'array', items: 'string', system: 'labels' } },
  { id: 'priority', name: 'Priority', schema: { type: 'priority', system: 'priority' } },
  {
    id: 'customfield_10010',
    name: 'Platform',
    schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
    allowedValues: [{ id: '1', value: 'Linux' }, { id: '2', value: 'Windows' }, { id: '3', value: 'macOS' }],
  },
  {
    id: 'customfield_10011',
    name: 'Build tags',
    schema: { type: 'array', items: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:labels' },
  },
  {
    id: 'customfield_10012',
    name: 'Story points',
    schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' },
  },
  {
    id: 'customfield_10013',
    name: 'Crash details',
    schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea' },
  },
  {
    id: 'customfield_10014',
    name: 'Build',
    schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' },
  },
];
