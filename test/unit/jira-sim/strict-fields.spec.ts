import { Json, bug, client, useSimulators } from './sim-client';

describe('JiraSimulator strict fields', () => {
  const start = useSimulators();

  it('duplicate custom-field names: /field lists both, the create screen only its project’s', async () => {
    for (const flavour of ['cloud', 'datacenter'] as const) {
      const sim = await start({ flavour, duplicateFieldNames: true });
      const api = client(sim, flavour === 'cloud' ? 'basic' : 'bearer');
      const severities = (await api('GET', 'field')).body.filter((f: Json) => f.name === 'Severity');
      expect(severities.map((f: Json) => [f.id, f.schema.custom.split(':')[1], f.scope?.project.id ?? null])).toEqual([
        ['customfield_10040', 'textfield', '10001'],
        ['customfield_10041', 'select', null],
      ]);
      const meta = async (p: string) => {
        const b = (await api('GET', `issue/createmeta/${p}/issuetypes/10004`)).body;
        return (b.fields ?? b.values).filter((f: Json) => f.name === 'Severity').map((f: Json) => f.fieldId);
      };
      expect(await meta('CHK')).toEqual(['customfield_10041']);
      expect(await meta('MOB')).toEqual(['customfield_10040']);
      const wrong = await api('POST', 'issue', bug('sev', { customfield_10040: 'high' }));
      expect(wrong.body.errors).toEqual({ customfield_10040: "Field 'customfield_10040' cannot be set. It is not on the appropriate screen, or unknown." });
      expect((await api('POST', 'issue', bug('sev', { customfield_10041: { value: 'Major' } }))).status).toBe(201);
      expect((await api('POST', 'issue', bug('sev', { customfield_10040: 'high' }, 'MOB'))).status).toBe(201);
      expect((await api('POST', 'issue', bug('sev', { customfield_10010: { value: 'Linux' } }, 'MOB'))).status).toBe(400);
    }
  });

  it('archived versions are listed but not offered; creating with one answers 400', async () => {
    const sim = await start();
    const api = client(sim);
    sim.archiveVersion('2.3.9');
    const listed = (await api('GET', 'project/CHK/versions')).body.find((v: Json) => v.name === '2.3.9');
    expect(listed).toMatchObject({ archived: true, released: true });
    const meta = (await api('GET', 'issue/createmeta/CHK/issuetypes/10004')).body.fields.find((f: Json) => f.fieldId === 'fixVersions');
    expect(meta.allowedValues.map((v: Json) => v.name)).not.toContain('2.3.9');
    const r = await api('POST', 'issue', bug('v', { fixVersions: [{ name: '2.3.9' }] }));
    expect([r.status, r.body.errors]).toEqual([400, { fixVersions: "Version name '2.3.9' is not valid" }]);
    expect((await api('POST', 'issue', bug('v', { fixVersions: [{ name: '2.4.0' }] }))).status).toBe(201);
  });

  it('disabled options show `disabled: true` in createmeta; creating with one answers 400', async () => {
    const sim = await start({ flavour: 'datacenter' });
    const api = client(sim, 'bearer');
    expect((await fetch(`${sim.baseUrl}/_sim/options`, { method: 'POST', body: JSON.stringify({ fieldId: 'customfield_10010', value: 'Windows' }) })).status).toBe(204);
    const meta = (await api('GET', 'issue/createmeta/CHK/issuetypes/10004')).body.values.find((f: Json) => f.fieldId === 'customfield_10010');
    expect(meta.allowedValues.map((o: Json) => [o.value, o.disabled])).toEqual([['Linux', false], ['Windows', true], ['macOS', false]]);
    const r = await api('POST', 'issue', bug('o', { customfield_10010: { value: 'Windows' } }));
    expect([r.status, r.body.errors]).toEqual([400, { customfield_10010: "Option value 'Windows' is not valid" }]);
  });

  it('components: the project\'s own, by name or id; an unknown name answers 400 as each flavour words it', async () => {
    for (const flavour of ['cloud', 'datacenter'] as const) {
      const sim = await start({ flavour });
      const api = client(sim, flavour === 'cloud' ? 'basic' : 'bearer');
      expect((await api('GET', 'project/CHK')).body.components.map((c: Json) => c.name)).toEqual(['Backend', 'Frontend', 'Payments']);
      const ok = await api('POST', 'issue', bug('c', { components: [{ name: 'Payments' }, { id: '10200' }] }));
      expect(ok.status).toBe(201);
      expect((await api('GET', `issue/${ok.body.key}`)).body.fields.components.map((c: Json) => c.name)).toEqual(['Payments', 'Backend']);
      expect((await api('GET', `issue/${(await api('POST', 'issue', bug('none'))).body.key}`)).body.fields.components).toEqual([]);
      const unknown = await api('POST', 'issue', bug('c', { components: [{ name: 'Billing' }] }));
      expect([unknown.status, unknown.body.errors]).toEqual([400, {
        components: flavour === 'cloud'
          ? 'You do not have permission to create new components. Contact your project admin or Jira admin for assistance.'
          : "Component name 'Billing' is not valid",
      }]);
      const badId = await api('POST', 'issue', bug('c', { components: [{ id: '999' }] }));
      expect(badId.body.errors).toEqual({ components: "Component with id '999' does not exist." });
      expect((await api('POST', 'issue', bug('c', { components: { name: 'Backend' } }))).body.errors).toEqual({ components: 'data was not an array' });
    }
  });
});
