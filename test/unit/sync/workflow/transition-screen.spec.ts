import type { JiraTransition } from '@app/modules/jira/client/jira-types';
import { StatusMappingEntry } from '@app/modules/jira-settings/jira-settings';
import { statusOf } from '@app/modules/sync/inbound/parse-issue';
import { stateForStatus } from '@app/modules/sync/mapping/state-mapping';
import { fillScreen } from '@app/modules/sync/workflow/transition-screen';
import { WorkflowMemory, workflowOf } from '@app/modules/sync/workflow/workflow-memory';

const resolve = (allowed: string[], required = true, extra: JiraTransition['fields'] = {}): JiraTransition => ({
  id: '5',
  name: 'Resolve Issue',
  to: { id: '5', name: 'Resolved', statusCategory: { key: 'done' } },
  fields: { resolution: { name: 'Resolution', required, hasDefaultValue: false, allowedValues: allowed.map((name, i) => ({ id: String(i + 1), name })) }, ...extra },
});
const mapping = (resolution?: string): StatusMappingEntry[] => [{ jiraStatus: 'Resolved', state: 'resolved', primary: true, ...(resolution ? { resolution } : {}) }];

describe('fillScreen', () => {
  it("takes the mapping's resolution, else Done, Fixed, then the first offered", () => {
    expect(fillScreen(resolve(['Fixed', "Won't Fix"]), mapping("won't fix"))).toEqual({ fields: { resolution: { id: '2' } } });
    expect(fillScreen(resolve(['Fixed', 'Done']), mapping())).toEqual({ fields: { resolution: { id: '2' } } });
    expect(fillScreen(resolve(['Duplicate', 'Fixed']), mapping())).toEqual({ fields: { resolution: { id: '2' } } });
    expect(fillScreen(resolve(['Duplicate']), mapping())).toEqual({ fields: { resolution: { id: '1' } } });
  });

  it('sends nothing for an optional resolution the mapping does not name', () => {
    expect(fillScreen(resolve(['Done'], false), mapping())).toEqual({ fields: {} });
  });

  it('names the field it cannot fill', () => {
    expect(fillScreen(resolve(['Fixed']), mapping('Done'))).toEqual({ field: 'Resolution', problem: "resolution 'Done' is not offered (offered: Fixed)" });
    expect(fillScreen(resolve([]), mapping())).toMatchObject({ field: 'Resolution' });
    const sprint = { customfield_1: { name: 'Root cause', required: true, hasDefaultValue: false } };
    expect(fillScreen(resolve(['Fixed'], true, sprint), mapping())).toMatchObject({ field: 'Root cause' });
    expect(fillScreen(resolve(['Fixed'], true, { customfield_1: { ...sprint.customfield_1, hasDefaultValue: true } }), mapping())).toEqual({ fields: { resolution: { id: '1' } } });
  });
});

describe('WorkflowMemory', () => {
  const dc: StatusMappingEntry[] = [{ jiraStatus: 'In Progress', state: 'in-progress', primary: true }];
  it('finds the fewest remembered moves, and forgets after a while', () => {
    let now = 0;
    const memory = new WorkflowMemory(() => now);
    memory.learn('p', 'Closed', [{ name: 'Reopened', category: 'new' }]);
    memory.learn('p', 'Reopened', [{ name: 'In Progress', category: 'indeterminate' }, { name: 'Resolved', category: 'done' }]);
    expect(memory.distance('p', { name: 'Closed' }, 'in-progress', dc, 4)).toBe(2);
    expect(memory.distance('p', { name: 'Closed' }, 'in-progress', dc, 1)).toBeUndefined();
    expect(memory.distance('other', { name: 'Reopened' }, 'in-progress', dc, 4)).toBeUndefined();
    now = 16 * 60_000;
    expect(memory.distance('p', { name: 'Reopened' }, 'in-progress', dc, 4)).toBeUndefined();
  });

  it("keeps each Jira project's workflow apart (routes send one integration's tickets to several projects)", () => {
    expect(workflowOf('7', 'CHK-12')).toBe('7:CHK');
    expect(workflowOf('7', 'MOB-3')).toBe('7:MOB');
    const memory = new WorkflowMemory();
    memory.learn(workflowOf('7', 'MOB-3'), 'Closed', [{ name: 'In Progress', category: 'indeterminate' }]);
    expect(memory.distance(workflowOf('7', 'MOB-9'), { name: 'Closed' }, 'in-progress', dc, 4)).toBe(1);
    expect(memory.distance(workflowOf('7', 'CHK-1'), { name: 'Closed' }, 'in-progress', dc, 4)).toBeUndefined();
  });
});

describe('reading a resolution', () => {
  it('an unmapped status with a resolution reads as resolved; the mapping comes first', () => {
    const fields = { status: { name: 'Awaiting Release', statusCategory: { key: 'indeterminate' } }, resolution: { name: 'Fixed' } };
    expect(stateForStatus(statusOf(fields)!, [])).toBe('resolved');
    expect(stateForStatus(statusOf(fields)!, [{ jiraStatus: 'Awaiting Release', state: 'in-progress' }])).toBe('in-progress');
    expect(stateForStatus(statusOf({ ...fields, resolution: null })!, [])).toBe('in-progress');
  });
});
