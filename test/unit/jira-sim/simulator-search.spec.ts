import { bug, client, Json, sleep, useSimulators } from './sim-client';

describe('JiraSimulator', () => {
  const start = useSimulators();

  describe('Cloud search', () => {
    it('answers 410 on the removed /search API', async () => {
      const sim = await start();
      const api = client(sim);
      for (const [method, path] of [['GET', 'search?jql=project=CHK'], ['POST', 'search'], ['GET', '/rest/api/3/search?jql=project=CHK']]) {
        const r = await api(method, path, method === 'POST' ? { jql: 'project = CHK' } : undefined);
        expect(r.status).toBe(410);
        expect(r.body.errorMessages[0]).toMatch(/^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API/);
      }
    });

    it('pages with nextPageToken and returns only ids unless fields are asked', async () => {
      const sim = await start();
      const api = client(sim);
      for (let n = 1; n <= 5; n++) await api('POST', 'issue', bug(`crash ${n}`, { labels: ['crashbridge'] }));
      const ids: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const q = new URLSearchParams({ jql: 'project = CHK AND labels = crashbridge ORDER BY key ASC', maxResults: '2', ...(token ? { nextPageToken: token } : {}) });
        const r = (await api('GET', `/rest/api/3/search/jql?${q}`)).body;
        pages++;
        for (const issue of r.issues) {
          expect(Object.keys(issue)).toEqual(['id']);
          ids.push(issue.id);
        }
        expect(r.total).toBeUndefined();
        expect(r.isLast).toBe(r.nextPageToken === undefined);
        token = r.nextPageToken;
      } while (token);
      expect(pages).toBe(3);
      expect(ids).toEqual(['10000', '10001', '10002', '10003', '10004']);

      const withFields = (await api('POST', 'search/jql', { jql: 'key in (CHK-2, CHK-4) ORDER BY key DESC', fields: ['summary', 'status'] })).body;
      expect(withFields.isLast).toBe(true);
      expect(withFields.issues.map((i: Json) => [i.key, i.fields.summary, i.fields.status.name])).toEqual([
        ['CHK-4', 'crash 4', 'To Do'],
        ['CHK-2', 'crash 2', 'To Do'],
      ]);
      expect(Object.keys(withFields.issues[0].fields).sort()).toEqual(['status', 'summary']);
      const all = (await api('GET', 'search/jql?jql=project%3DCHK&fields=*all&maxResults=1')).body.issues[0];
      expect(all.fields.customfield_10010).toBeNull();
      expect(all.fields.labels).toEqual(['crashbridge']);
    });

    it('rejects unbounded, unsupported and wrong JQL', async () => {
      const sim = await start();
      const api = client(sim);
      await api('POST', 'issue', bug('one'));
      const search = (jql: string) => api('POST', 'search/jql', { jql });
      expect((await search('')).status).toBe(400);
      const orQuery = await search('project = CHK OR labels = x');
      expect(orQuery.status).toBe(400);
      expect(orQuery.body.errorMessages[0]).toMatch(/^Error in the JQL Query: /);
      expect((await search('project = CHK AND labels ~ x')).status).toBe(400);
      expect((await search('project = NOPE')).body.errorMessages).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);
      expect((await search('key in (CHK-1, CHK-99)')).body.errorMessages).toEqual(["An issue with key 'CHK-99' does not exist for field 'key'."]);
      expect((await search('project = CHK AND updated >= "yesterday"')).status).toBe(400);
      expect((await search('priority = High')).body.errorMessages[0]).toMatch(/Field 'priority' does not exist/);
    });

    it('matches whole words with ~, and filters by labels, status and dates', async () => {
      const sim = await start();
      const api = client(sim);
      await api('POST', 'issue', bug('[2.4.0] crash fp-1', { labels: ['crashbridge', 'cb-fp-1'] }));
      await api('POST', 'issue', bug('[2.4.0] crash fp-10', { labels: ['crashbridge', 'cb-fp-10'] }));
      await api('POST', 'issue', bug('other', { description: 'mentions FP-1 in the text' }));
      const keys = async (jql: string) => (await api('POST', 'search/jql', { jql, fields: ['key'] })).body.issues.map((i: Json) => i.key);
      expect(await keys('summary ~ "fp-1"')).toEqual(['CHK-1']);
      expect(await keys('summary ~ "fp-10"')).toEqual(['CHK-2']);
      expect(await keys('text ~ "fp-1" ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-3']);
      expect(await keys('summary ~ "fp*" ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-2']);
      expect(await keys('project = CHK AND labels = "cb-fp-1"')).toEqual(['CHK-1']);
      expect(await keys('labels in ("cb-fp-10", "nope")')).toEqual(['CHK-2']);
      expect(await keys('project = CHK AND labels is EMPTY')).toEqual(['CHK-3']);
      sim.transition('CHK-2', 'Done');
      expect(await keys('project = CHK AND status = "Done"')).toEqual(['CHK-2']);
      expect(await keys('project = CHK AND statusCategory != done ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-3']);
      expect(await keys('project = CHK AND resolution = Unresolved ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-3']);
      expect(await keys('project = CHK AND updated >= -5m ORDER BY updated DESC')).toEqual(['CHK-2', 'CHK-3', 'CHK-1']);
      const since = sim.getIssue('CHK-2')!.updatedAt;
      expect(await keys(`project = CHK AND updated >= ${since}`)).toEqual(['CHK-2']);
      expect(await keys('project = CHK AND updated >= "2020-01-01 10:00" AND updated < "2099/01/01"')).toHaveLength(3);
      expect(await keys('project = CHK AND created > -1m AND id in (10000, 10002) ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-3']);
    });

    it('hides new issues from search for searchVisibilityDelayMs (eventual consistency)', async () => {
      const sim = await start({ searchVisibilityDelayMs: 400 });
      const api = client(sim);
      const { id, key } = (await api('POST', 'issue', bug('fresh', { labels: ['cb-fp-new'] }))).body;
      const search = () => api('POST', 'search/jql', { jql: 'project = CHK AND labels = "cb-fp-new"' });
      expect((await search()).body.issues).toEqual([]);
      expect((await api('GET', `issue/${key}`)).status).toBe(200); // reads by key are immediate
      const reconciled = await api('POST', 'search/jql', { jql: 'project = CHK AND labels = "cb-fp-new"', reconcileIssues: [Number(id)] });
      expect(reconciled.body.issues).toEqual([{ id }]);
      await sleep(450);
      expect((await search()).body.issues).toEqual([{ id }]);
    });
  });

  describe('Data Center search', () => {
    it('pages with startAt/maxResults/total and has no /search/jql', async () => {
      const sim = await start({ flavour: 'datacenter', searchVisibilityDelayMs: 10_000 });
      const api = client(sim, 'bearer');
      for (let n = 1; n <= 5; n++) await api('POST', 'issue', bug(`crash ${n}`));
      const page = (await api('GET', 'search?jql=project%20%3D%20CHK%20ORDER%20BY%20key%20ASC&startAt=2&maxResults=2')).body;
      expect(page).toMatchObject({ startAt: 2, maxResults: 2, total: 5 });
      expect(page.issues.map((i: Json) => [i.key, i.fields.summary])).toEqual([['CHK-3', 'crash 3'], ['CHK-4', 'crash 4']]);
      const post = (await api('POST', 'search', { jql: 'key = CHK-5', fields: ['status'] })).body;
      expect(post.total).toBe(1);
      expect(Object.keys(post.issues[0].fields)).toEqual(['status']);
      expect((await api('GET', 'search/jql?jql=project%3DCHK')).status).toBe(404);
      expect((await api('GET', 'search?jql=project%3DNOPE')).status).toBe(400);
    });
  });
});
