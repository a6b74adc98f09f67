import { MOBILE_PROJECT } from '../../jira-sim';
import { Json, client, useSimulators } from './sim-client';

const issue = (project: string, issuetype: string, summary: string, extra: Record<string, unknown> = {}) => ({
  fields: { project: { key: project }, issuetype: { name: issuetype }, summary, ...extra },
});

describe('JiraSimulator projects besides CHK', () => {
  const start = useSimulators();

  it('MOB offers its own issue types, with its own create screens', async () => {
    for (const flavour of ['cloud', 'datacenter'] as const) {
      const sim = await start({ flavour, projects: [MOBILE_PROJECT] });
      const api = client(sim, flavour === 'cloud' ? 'basic' : 'bearer');
      const list = (b: Json) => b.issueTypes ?? b.values ?? b.fields;
      const types = list((await api('GET', 'issue/createmeta/MOB/issuetypes')).body).map((t: Json) => t.name);
      expect(types).toEqual(['Task', 'Crash']);
      expect(list((await api('GET', 'issue/createmeta/CHK/issuetypes')).body).map((t: Json) => t.name)).toEqual(['Bug', 'Task']);
      expect((await api('GET', 'project/MOB')).body).toMatchObject({ key: 'MOB', name: 'Mobile', issueTypes: [{ name: 'Task' }, { name: 'Crash' }] });

      const crash = list((await api('GET', 'issue/createmeta/MOB/issuetypes/10010')).body);
      expect(crash.map((f: Json) => [f.fieldId, f.required])).toEqual([
        ['summary', true], ['issuetype', true], ['project', true], ['reporter', false], ['description', false], ['labels', false],
        ['priority', false], ['customfield_10050', true],
      ]);
      // CHK does not offer Crash; MOB does not offer Bug.
      expect((await api('GET', 'issue/createmeta/CHK/issuetypes/10010')).status).toBe(404);
      expect((await api('GET', 'issue/createmeta/MOB/issuetypes/10004')).status).toBe(404);
    }
  });

  it('creating validates against the project: its types, its screen, its required fields', async () => {
    const sim = await start({ projects: [MOBILE_PROJECT] });
    const api = client(sim);
    const bug = await api('POST', 'issue', issue('MOB', 'Bug', 'b'));
    expect([bug.status, bug.body.errors]).toEqual([400, { issuetype: 'The issue type selected is invalid.' }]);
    const missing = await api('POST', 'issue', issue('MOB', 'Crash', 'c'));
    expect([missing.status, missing.body.errors]).toEqual([400, { customfield_10050: 'Device is required.' }]);
    const offScreen = await api('POST', 'issue', issue('MOB', 'Crash', 'c', { customfield_10050: 'iPhone 15', environment: 'x' }));
    expect(offScreen.body.errors).toEqual({ environment: "Field 'environment' cannot be set. It is not on the appropriate screen, or unknown." });
    const ok = await api('POST', 'issue', issue('MOB', 'Crash', 'c', { customfield_10050: 'iPhone 15', labels: ['ios'] }));
    expect([ok.status, ok.body.key]).toEqual([201, 'MOB-1']);
    expect(sim.getIssue('MOB-1')!.fields).toMatchObject({ customfield_10050: 'iPhone 15', issuetype: { name: 'Crash' }, project: { key: 'MOB' } });
    // The Device field is MOB's Crash screen's only.
    const chk = await api('POST', 'issue', issue('CHK', 'Bug', 'b', { customfield_10050: 'iPhone 15' }));
    expect(chk.body.errors).toEqual({ customfield_10050: "Field 'customfield_10050' cannot be set. It is not on the appropriate screen, or unknown." });
  });

  it('JQL and webhook filters reach issues of both projects', async () => {
    const sim = await start({ projects: [MOBILE_PROJECT] });
    const api = client(sim);
    await api('POST', 'issue', issue('CHK', 'Bug', 'one', { labels: ['m'] }));
    await api('POST', 'issue', issue('MOB', 'Task', 'two', { labels: ['m'] }));
    const found = await api('POST', 'search/jql', { jql: 'project in (CHK, MOB) AND labels = "m" ORDER BY key ASC', fields: ['summary'] });
    expect(found.body.issues.map((i: Json) => i.fields.summary)).toEqual(['one', 'two']);
    const mobOnly = await api('POST', 'search/jql', { jql: 'project = MOB AND labels = "m"', fields: ['summary'] });
    expect(mobOnly.body.issues.map((i: Json) => i.fields.summary)).toEqual(['two']);
  });

  it('refuses a second project of the same key, and strict MOB beside it', async () => {
    const sim = await start({ projects: [MOBILE_PROJECT] });
    expect(() => sim.addProject(MOBILE_PROJECT)).toThrow("Project 'MOB' exists already");
    expect(() => sim.addDuplicateFieldNames()).toThrow('MOB exists already');
  });
});
