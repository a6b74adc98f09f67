import { Json, bug, client, useSimulators } from './sim-client';

describe('JiraSimulator strict workflows', () => {
  const start = useSimulators();

  describe("'resolution-screen' (Cloud)", () => {
    it('shows the screen with expand=transitions.fields and requires an allowed resolution', async () => {
      const sim = await start({ workflow: 'resolution-screen' });
      const api = client(sim);
      const { key } = (await api('POST', 'issue', bug('screen'))).body;

      const plain = (await api('GET', `issue/${key}/transitions`)).body.transitions;
      expect(plain.every((t: Json) => t.fields === undefined)).toBe(true);
      const list = (await api('GET', `issue/${key}/transitions?expand=transitions.fields`)).body.transitions;
      const done = list.find((t: Json) => t.name === 'Done');
      expect(done.fields.resolution).toMatchObject({ required: true, schema: { type: 'resolution' } });
      expect(done.fields.resolution.allowedValues.map((r: Json) => r.name)).toEqual(['Done', "Won't Do", 'Duplicate']);
      expect(list.find((t: Json) => t.name === 'In Progress').fields).toEqual({});

      const missing = await api('POST', `issue/${key}/transitions`, { transition: { id: done.id } });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ errorMessages: [], errors: { resolution: 'Field Resolution is required.' } });
      const wrong = await api('POST', `issue/${key}/transitions`, { transition: { id: done.id }, fields: { resolution: { name: 'Fixed' } } });
      expect(wrong.status).toBe(400);
      expect(Object.keys(wrong.body.errors)).toEqual(['resolution']);
      const offScreen = await api('POST', `issue/${key}/transitions`, { transition: { id: '21' }, fields: { resolution: { name: 'Done' } } });
      expect(offScreen.body.errors).toEqual({ resolution: "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown." });
      expect(sim.getIssue(key)!.fields.status).toMatchObject({ name: 'To Do' });

      expect((await api('POST', `issue/${key}/transitions`, { transition: { id: done.id }, fields: { resolution: { name: 'Duplicate' } } })).status).toBe(204);
      const f = (await api('GET', `issue/${key}`)).body.fields;
      expect(f.resolution).toMatchObject({ id: '10002', name: 'Duplicate' });
      expect(f.resolutiondate).toEqual(expect.any(String));
      const event = sim.events.at(-1)!.body as Json;
      expect(event.issue.fields.resolution.name).toBe('Duplicate');

      await api('POST', `issue/${key}/transitions`, { transition: { id: '11' } });
      expect((await api('GET', `issue/${key}`)).body.fields).toMatchObject({ resolution: null, resolutiondate: null, status: { name: 'To Do' } });
    });

    it('keeps the permissive default: resolution derived, screen fields listed as optional', async () => {
      const sim = await start();
      const api = client(sim);
      const { key } = (await api('POST', 'issue', bug('default'))).body;
      const list = (await api('GET', `issue/${key}/transitions?expand=transitions.fields`)).body.transitions;
      expect(list.find((t: Json) => t.id === '31').fields.resolution.required).toBe(false);
      expect((await api('POST', `issue/${key}/transitions`, { transition: { id: '31' } })).status).toBe(204);
      expect(sim.getIssue(key)!.fields.resolution).toMatchObject({ name: 'Done' });
    });
  });

  describe("'jira' (Data Center's default workflow)", () => {
    it('offers only the transitions of the current status, with their categories', async () => {
      const sim = await start({ flavour: 'datacenter', workflow: 'jira' });
      const api = client(sim, 'bearer');
      const { key } = (await api('POST', 'issue', bug('dc'))).body;
      const names = async () => (await api('GET', `issue/${key}/transitions`)).body.transitions.map((t: Json) => `${t.id} ${t.name} → ${t.to.name}`);
      expect(sim.getIssue(key)!.fields.status).toMatchObject({ id: '1', name: 'Open', statusCategory: { key: 'new' } });
      expect(await names()).toEqual(['4 Start Progress → In Progress', '5 Resolve Issue → Resolved', '2 Close Issue → Closed']);
      expect((await api('GET', 'status')).body.map((s: Json) => [s.name, s.statusCategory.key])).toEqual([
        ['Open', 'new'], ['In Progress', 'indeterminate'], ['Reopened', 'new'], ['Resolved', 'done'], ['Closed', 'done'],
      ]);
      expect((await api('GET', 'resolution')).body.map((r: Json) => r.name)).toContain('Fixed');

      const close = await api('POST', `issue/${key}/transitions`, { transition: { id: '2' } });
      expect(close.body.errors).toEqual({ resolution: 'Field Resolution is required.' });
      await api('POST', `issue/${key}/transitions`, { transition: { id: '2' }, fields: { resolution: { name: 'Fixed' } } });
      expect(sim.getIssue(key)!.fields).toMatchObject({ status: { name: 'Closed', statusCategory: { key: 'done' } }, resolution: { name: 'Fixed' } });
      // No Closed → In Progress: the way back is Reopen Issue, then Start Progress.
      expect(await names()).toEqual(['3 Reopen Issue → Reopened']);
      expect((await api('POST', `issue/${key}/transitions`, { transition: { id: '4' } })).body.errorMessages).toEqual(["Transition id '4' is not valid for this issue."]);
      await api('POST', `issue/${key}/transitions`, { transition: { id: '3' } });
      expect(sim.getIssue(key)!.fields).toMatchObject({ status: { name: 'Reopened' }, resolution: null, resolutiondate: null });
      expect(await names()).toEqual(['4 Start Progress → In Progress', '5 Resolve Issue → Resolved', '2 Close Issue → Closed']);
    });

    it('Resolved → Closed keeps the resolution; Jira-side moves follow the workflow', async () => {
      const sim = await start({ flavour: 'datacenter', strict: true });
      const api = client(sim, 'bearer');
      const { key } = (await api('POST', 'issue', bug('ui'))).body;
      sim.transition(key, 'Resolved', { resolution: "Won't Fix" });
      expect(sim.getIssue(key)!.fields.resolution).toMatchObject({ name: "Won't Fix" });
      await api('POST', `issue/${key}/transitions`, { transition: { id: '701' } });
      expect(sim.getIssue(key)!.fields).toMatchObject({ status: { name: 'Closed' }, resolution: { name: "Won't Fix" } });
      expect(() => sim.transition(key, 'In Progress')).toThrow(/no transition from 'Closed' to 'In Progress'/);
      sim.transition(key, 'Reopened');
      sim.transition(key, 'Resolved'); // the default pick: Fixed
      expect(sim.getIssue(key)!.fields.resolution).toMatchObject({ name: 'Fixed' });
    });

    it('is switched over /_sim, and refuses a workflow that strands an issue', async () => {
      const sim = await start({ flavour: 'datacenter' });
      expect((await fetch(`${sim.baseUrl}/_sim/workflow`, { method: 'POST', body: JSON.stringify({ workflow: 'jira' }) })).status).toBe(204);
      expect(sim.workflow.name).toBe('jira');
      const api = client(sim, 'bearer');
      const { key } = (await api('POST', 'issue', bug('x'))).body;
      sim.transition(key, 'In Progress');
      expect(() => sim.setWorkflow('permissive')).not.toThrow(); // In Progress (id 3) exists in both
      sim.setWorkflow('jira');
      sim.transition(key, 'Resolved');
      expect(() => sim.setWorkflow('permissive')).toThrow(/does not have/);
    });
  });
});
