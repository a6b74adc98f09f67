import { Json, bug, client, useSimulators } from './sim-client';

describe('JiraSimulator project versions', () => {
  const start = useSimulators();

  it('POST /version creates a version by projectId; the project lists it and GET /version/{id} reads it', async () => {
    const sim = await start();
    const api = client(sim);
    const r = await api('POST', 'version', { name: '  3.0.0 ', projectId: 10000 });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ self: `${sim.apiUrl}version/${r.body.id}`, id: r.body.id, name: '3.0.0', archived: false, released: false, projectId: 10000 });
    const listed = (await api('GET', 'project/CHK/versions')).body as Json[];
    expect(listed.at(-1)).toEqual(r.body);
    expect((await api('GET', `version/${r.body.id}`)).body).toEqual(r.body);
    expect((await api('GET', 'version/99999')).body).toEqual({ errorMessages: ["Could not find version for id '99999'"], errors: {} });
    expect(sim.listVersions().map((v) => v.name)).toContain('3.0.0');
  });

  it('takes the project by key too (Data Center), released and archived as given', async () => {
    const sim = await start({ flavour: 'datacenter' });
    const r = await client(sim, 'bearer')('POST', 'version', { name: '3.1.0', project: 'CHK', released: true });
    expect([r.status, r.body.released, r.body.archived, r.body.projectId]).toEqual([201, true, false, 10000]);
  });

  it('refuses a name used in the project (any case), a blank name and one over 255 characters, as Jira does', async () => {
    const sim = await start();
    const api = client(sim);
    const before = sim.listVersions().length;
    const cases: Array<[unknown, string]> = [
      ['2.4.0', 'A version with this name already exists in this project.'],
      ['NEXT RELEASE', 'A version with this name already exists in this project.'],
      ['   ', 'You must specify a valid version name'],
      [undefined, 'You must specify a valid version name'],
      ['x'.repeat(256), 'The version name must not exceed 255 characters.'],
    ];
    for (const [name, message] of cases) {
      const r = await api('POST', 'version', { name, projectId: '10000' });
      expect([r.status, r.body]).toEqual([400, { errorMessages: [], errors: { name: message } }]);
    }
    expect((await api('POST', 'version', { name: 'x'.repeat(255), projectId: 10000 })).status).toBe(201);
    expect(sim.listVersions()).toHaveLength(before + 1);
  });

  it('needs a project that exists', async () => {
    const sim = await start();
    const api = client(sim);
    expect((await api('POST', 'version', { name: '9' })).body).toEqual({ errorMessages: ['Project must be specified to create a version.'], errors: {} });
    const r = await api('POST', 'version', { name: '9', project: 'NOPE' });
    expect([r.status, r.body.errorMessages]).toEqual([404, ["Project with key 'NOPE' either does not exist or you do not have permission to create versions in it."]]);
    expect((await api('POST', 'version', { name: '9', projectId: 42 })).status).toBe(404);
    expect((await api('POST', 'version', ['9'])).status).toBe(400);
  });

  it('needs Administer Projects or Administer Jira: Cloud answers 403, Data Center as if the project did not exist', async () => {
    const cloud = await start({ permissions: { denied: ['ADMINISTER_PROJECTS'] } });
    // A site admin may still do it.
    expect((await client(cloud)('POST', 'version', { name: 'a', projectId: 10000 })).status).toBe(201);
    cloud.setPermissions({ denied: ['ADMINISTER_PROJECTS', 'ADMINISTER'] });
    const refused = await client(cloud)('POST', 'version', { name: 'b', projectId: 10000 });
    expect([refused.status, refused.body]).toEqual([403, { errorMessages: ['You do not have permission to create versions in this project.'], errors: {} }]);

    const dc = await start({ flavour: 'datacenter', permissions: { denied: ['ADMINISTER_PROJECTS', 'ADMINISTER'] } });
    const hidden = await client(dc, 'bearer')('POST', 'version', { name: 'b', project: 'CHK' });
    expect([hidden.status, hidden.body.errorMessages]).toEqual([404, ["Project with key 'CHK' either does not exist or you do not have permission to create versions in it."]]);
    expect(cloud.listVersions().map((v) => v.name)).not.toContain('b');
    expect(dc.listVersions().map((v) => v.name)).not.toContain('b');
  });

  it('the Bug create screen has Affects versions with the project’s unarchived versions; a Task’s has not', async () => {
    const sim = await start();
    const api = client(sim);
    sim.archiveVersion('2.3.9');
    const created = sim.addVersion('3.2.0');
    const fields = (await api('GET', 'issue/createmeta/CHK/issuetypes/10004')).body.fields as Json[];
    const versions = fields.find((f) => f.fieldId === 'versions');
    expect(versions).toMatchObject({ name: 'Affects versions', required: false, schema: { type: 'array', items: 'version', system: 'versions' } });
    const names = versions.allowedValues.map((v: Json) => v.name);
    expect(names).toContain('3.2.0');
    expect(names).not.toContain('2.3.9');
    expect(versions.allowedValues.find((v: Json) => v.name === '3.2.0')).toMatchObject({ id: created.id, archived: false });
    const task = (await api('GET', 'issue/createmeta/CHK/issuetypes/10002')).body.fields as Json[];
    expect(task.map((f) => f.fieldId)).not.toContain('versions');
  });

  it('POST /issue takes versions by name or id of the project, unarchived; else 400 on versions', async () => {
    const sim = await start();
    const api = client(sim);
    const ok = await api('POST', 'issue', bug('affected', { versions: [{ name: '2.4.0' }, { id: '10103' }] }));
    expect(ok.status).toBe(201);
    expect((sim.getIssue(ok.body.key)!.fields.versions as Json[]).map((v) => v.name)).toEqual(['2.4.0', '2.5.0']);
    expect(sim.getIssue((await api('POST', 'issue', bug('none'))).body.key)!.fields.versions).toEqual([]);

    sim.archiveVersion('2.3.9');
    const cases: Array<[Json, string]> = [
      [[{ name: '9.9.9' }], "Version name '9.9.9' is not valid"],
      [[{ name: '2.4.0' }, { name: '2.3.9' }], "Version name '2.3.9' is not valid"],
      [[{ id: '424242' }], "Version id '424242' is not valid"],
    ];
    for (const [versions, message] of cases) {
      const r = await api('POST', 'issue', bug('refused', { versions }));
      expect([r.status, r.body]).toEqual([400, { errorMessages: [], errors: { versions: message } }]);
    }
    const task = await api('POST', 'issue', { fields: { project: { key: 'CHK' }, issuetype: { name: 'Task' }, summary: 't', versions: [{ name: '2.4.0' }] } });
    expect(task.body.errors).toEqual({ versions: "Field 'versions' cannot be set. It is not on the appropriate screen, or unknown." });
    expect(sim.listIssues().filter((i) => i.fields.summary !== 'affected' && i.fields.summary !== 'none')).toEqual([]);
  });

  it('an edit of affects versions is one "Version" changelog item per version', async () => {
    const sim = await start();
    const api = client(sim);
    const { key } = (await api('POST', 'issue', bug('edit', { versions: [{ name: '2.4.0' }] }))).body;
    expect((await api('PUT', `issue/${key}`, { fields: { versions: [{ name: '2.4.1' }] } })).status).toBe(204);
    const updated = sim.events.at(-1)!.body as Json;
    expect(updated.changelog.items).toEqual([
      { field: 'Version', fieldtype: 'jira', fieldId: 'versions', from: '10101', fromString: '2.4.0', to: null, toString: null },
      { field: 'Version', fieldtype: 'jira', fieldId: 'versions', from: null, fromString: null, to: '10102', toString: '2.4.1' },
    ]);
  });
});
