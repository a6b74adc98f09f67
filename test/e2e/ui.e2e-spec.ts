// The settings UI over HTTP: sessions, CSRF, rate limiting, headers, and each form's
// validation (errors next to their fields, typed values kept). The browser spec drives
// the same pages in Chromium.
import { JiraSimulator } from '../jira-sim';
import { startSim } from '../support/jira';
import { createProject, startTestApp, TestApp } from '../support/test-app';
import { testMode } from '../support/test-env';
import { UiClient, csrfIn, postSignIn, signIn, signInForm, uiGet, uiPost } from '../support/ui-session';

const fieldError = (html: string, field: string) =>
  [...html.matchAll(new RegExp(`data-error-for="${field}">([^<]*)<`, 'g'))].map((m) => m[1]);
const valueOf = (html: string, id: string) => html.match(new RegExp(`id="${id}"[^>]*value="([^"]*)"`))?.[1];

describe('settings UI (HTTP)', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let ui: UiClient;

  beforeAll(async () => {
    [app, sim] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud' })]);
    ui = await signIn(app);
  });
  afterAll(async () => {
    await sim.stop();
    await app.stop();
  });

  describe('sessions', () => {
    it('sends a visitor without a session to sign-in, and back afterwards', async () => {
      const res = await app.http().get('/ui/projects/x/groups?state=open').expect(303);
      expect(res.headers.location).toBe(`/ui/sign-in?next=${encodeURIComponent('/ui/projects/x/groups?state=open')}`);
      await app.http().post('/ui/projects').type('form').send('key=nope&name=Nope').expect(303).expect('Location', '/ui/sign-in');
      const form = await signInForm(app);
      const signedIn = await app.http().post('/ui/sign-in').set('Cookie', form.cookie).type('form').send({ _csrf: form.csrf, token: app.adminToken, next: '/ui/projects/x/groups?state=open' });
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.location).toBe('/ui/projects/x/groups?state=open');
    });

    it('never redirects off-site after sign-in', async () => {
      for (const next of ['https://evil.example/', '//evil.example/ui', '/api/v1/projects', '/ui\\@evil.example']) {
        const form = await signInForm(app);
        const res = await app.http().post('/ui/sign-in').set('Cookie', form.cookie).type('form').send({ _csrf: form.csrf, token: app.adminToken, next });
        expect(res.headers.location).toBe('/ui/projects');
      }
    });

    it('refuses a wrong or empty token with a message, and a sign-in form without its CSRF cookie', async () => {
      const wrong = await postSignIn(app, 'wrong-token');
      expect(wrong.status).toBe(401);
      expect(wrong.text).toMatch(/That admin token is not valid/);
      expect(String(wrong.headers['set-cookie'] ?? '')).not.toContain('cb_session=');
      expect((await postSignIn(app, '')).status).toBe(401);
      const noCookie = await app.http().post('/ui/sign-in').type('form').send({ _csrf: 'x', token: app.adminToken });
      expect(noCookie.status).toBe(403);
    });

    it('sets an HttpOnly, SameSite=Strict session cookie, stores only its hash, and sign-out ends it', async () => {
      const res = await postSignIn(app, app.adminToken);
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('cb_session='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/ui/);
      const value = cookie.split(';')[0].slice('cb_session='.length);
      const rows = await app.dataSource.query(`SELECT id_hash FROM ui_sessions`);
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(value);

      const mine: UiClient = { cookie: cookie.split(';')[0], csrf: '' };
      mine.csrf = csrfIn((await uiGet(app, mine, '/ui/projects').expect(200)).text)!;
      await uiPost(app, mine, '/ui/sign-out', {}, null).expect(403);
      await uiGet(app, mine, '/ui/projects').expect(200);
      await uiPost(app, mine, '/ui/sign-out', {}).expect(303).expect('Location', '/ui/sign-in');
      await uiGet(app, mine, '/ui/projects').expect(303);
    });

    it('serves pages with security headers and without caching', async () => {
      const res = await uiGet(app, ui, '/ui/projects').expect(200);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).not.toMatch(/<script>|style="/); // nothing inline: the CSP would block it
      await app.http().get('/ui/assets/ui.css').expect(200).expect('Content-Type', /text\/css/);
      await app.http().get('/ui/assets/ui.js').expect(200).expect('Content-Type', /javascript/);
    });
  });

  describe('CSRF', () => {
    it('answers 403 to a form without its token, with a wrong one, or with another session\'s, and stores nothing', async () => {
      const other = await signIn(app);
      expect(other.csrf).not.toBe(ui.csrf);
      for (const csrf of [null, 'wrong', other.csrf]) {
        const res = await uiPost(app, ui, '/ui/projects', { key: 'csrf-victim', name: 'Victim' }, csrf);
        expect(res.status).toBe(403);
        expect(res.text).toMatch(/security token/);
      }
      await app.admin('get', '/api/v1/projects/csrf-victim').expect(404);
    });
  });

  describe('projects', () => {
    it('shows errors next to their fields and keeps what was typed', async () => {
      const res = await uiPost(app, ui, '/ui/projects', { key: 'Bad Key!', name: 'My <b>shop</b>' }).expect(400);
      expect(fieldError(res.text, 'key')[0]).toMatch(/^key must match/);
      expect(valueOf(res.text, 'key')).toBe('Bad Key!');
      expect(valueOf(res.text, 'name')).toBe('My &lt;b&gt;shop&lt;/b&gt;');
      await createProject(app, 'taken');
      const taken = await uiPost(app, ui, '/ui/projects', { key: 'taken', name: 'Again' }).expect(409);
      expect(fieldError(taken.text, 'key')[0]).toMatch(/already used/);
    });

    it('creates a project and shows its ingest token once; rotation replaces it; names are escaped', async () => {
      const res = await uiPost(app, ui, '/ui/projects', { key: 'shop', name: '<script>alert(1)</script>' }).expect(201);
      const token = valueOf(res.text, 'ingest-token')!;
      expect(token).toMatch(/^cb_ing_/);
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.text).not.toContain('<script>alert(1)');
      const post = (t: string) => app.http().post('/api/v1/projects/shop/groups').set('Authorization', `Bearer ${t}`).send({ fingerprint: 'ui-fp-1' });
      await post(token).expect(201);
      expect((await uiGet(app, ui, '/ui/projects').expect(200)).text).not.toContain(token);

      const rotated = await uiPost(app, ui, '/ui/projects/shop/ingest-token', {}).expect(200);
      const next = valueOf(rotated.text, 'ingest-token')!;
      expect(next).not.toBe(token);
      await post(token).expect(401);
      await post(next).expect(200);
    });

    it('deletes only after the key is typed again', async () => {
      await createProject(app, 'doomed');
      expect((await uiGet(app, ui, '/ui/projects/doomed/delete').expect(200)).text).toMatch(/Type <code>doomed<\/code>/);
      const wrong = await uiPost(app, ui, '/ui/projects/doomed/delete', { confirm: 'doome' }).expect(400);
      expect(fieldError(wrong.text, 'confirm')[0]).toMatch(/type the project key/);
      await app.admin('get', '/api/v1/projects/doomed').expect(200);
      await uiPost(app, ui, '/ui/projects/doomed/delete', { confirm: 'doomed' }).expect(303).expect('Location', '/ui/projects?deleted=doomed');
      await app.admin('get', '/api/v1/projects/doomed').expect(404);
    });

    it('answers 400, not 500, to text the database cannot store', async () => {
      const res = await uiPost(app, ui, '/ui/projects', { key: 'nul-name', name: 'a\u0000b' }).expect(400);
      expect(res.text).toMatch(/NUL character/);
      await app.admin('get', '/api/v1/projects/nul-name').expect(404);
    });

    it('renders a clear 404 page for an unknown project', async () => {
      const res = await uiGet(app, ui, '/ui/projects/no-such-project/groups').expect(404);
      expect(res.text).toMatch(/no-such-project/);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    });
  });

  describe('Jira settings', () => {
    const connection = (overrides: Record<string, string | string[]> = {}) => ({
      apiUrl: sim.apiUrl,
      authType: 'basic',
      email: sim.credentials.email,
      secret: sim.credentials.apiToken,
      projectKey: 'chk',
      issueType: 'Bug',
      subject: '[$version] {{title}}',
      labels: 'crashbridge',
      description: '',
      fieldMappingLabels: '',
      fieldMappingDescription: '',
      customFieldName: ['customfield_10012', ''],
      customFieldValue: ['7', ''],
      versionAttribute: 'version',
      enabled: 'on',
      action: 'save',
      ...overrides,
    });

    it('keeps Behaviour for after the connection is saved', async () => {
      await createProject(app, 'jira-order');
      const res = await uiPost(app, ui, '/ui/projects/jira-order/jira/behaviour', { syncInbound: 'on', minCount: '2' }).expect(409);
      expect(res.text).toMatch(/Save the Connection tab first/);
    });

    it('shows validation errors next to their fields, keeping every typed value', async () => {
      await createProject(app, 'jira-bad');
      const res = await uiPost(app, ui, '/ui/projects/jira-bad/jira/connection', connection({ apiUrl: 'not a url', email: '', subject: 'Crash: {{title' })).expect(400);
      expect(fieldError(res.text, 'apiUrl').length).toBe(1);
      expect(fieldError(res.text, 'email')[0]).toMatch(/required/);
      expect(fieldError(res.text, 'subject')[0]).toMatch(/subject/);
      expect(valueOf(res.text, 'apiUrl')).toBe('not a url');
      expect(valueOf(res.text, 'subject')).toBe('Crash: {{title');
      expect(res.text).toContain('value="customfield_10012"');
      await app.admin('get', '/api/v1/projects/jira-bad/integrations/jira').expect(404);
    });

    it('saves both tabs into the same settings the API reads, showing the webhook secret only once', async () => {
      await createProject(app, 'jira-ok');
      const created = await uiPost(app, ui, '/ui/projects/jira-ok/jira/connection', connection()).expect(200);
      const secret = valueOf(created.text, 'webhook-secret')!;
      expect(secret).toBeTruthy();
      const page = (await uiGet(app, ui, '/ui/projects/jira-ok/jira').expect(200)).text;
      expect(page).not.toContain(secret);
      expect(page).not.toContain(sim.credentials.apiToken);
      expect(valueOf(page, 'webhook-url')).toMatch(/\/webhooks\/jira\/jira-ok$/);

      await uiPost(app, ui, '/ui/projects/jira-ok/jira/behaviour', {
        syncOutbound: 'on',
        statusJira: ['Done', "Won't Do", ''],
        statusState: ['resolved', 'muted', ''],
        statusPrimary: ['yes', '', ''],
        userName: ['alice@acme.com', ''],
        userAccountId: ['5b10ac8d82e05b22cc7d4ef5', ''],
        userUsername: ['', ''],
        onNewGroup: 'on',
        minCount: '5',
        maxTicketsPerHour: '20',
        reopenJira: 'on',
      }).expect(303).expect('Location', '/ui/projects/jira-ok/jira?tab=behaviour&saved=1');

      const api = (await app.admin('get', '/api/v1/projects/jira-ok/integrations/jira').expect(200)).body;
      expect(api).toMatchObject({
        projectKey: 'CHK',
        subject: '[$version] {{title}}',
        customFields: [{ field: 'customfield_10012', value: '7' }],
        sync: { outbound: true, inbound: false },
        statusMapping: [{ jiraStatus: 'Done', state: 'resolved', primary: true }, { jiraStatus: "Won't Do", state: 'muted' }],
        userMapping: [{ user: 'alice@acme.com', jiraAccountId: '5b10ac8d82e05b22cc7d4ef5' }],
        autoMapUsersByEmail: false,
        createRules: { onNewGroup: true, minCount: 5, maxTicketsPerHour: 20 },
        regression: { reopenJira: true, comment: false },
      });

      // Saving Connection again with the token left empty keeps the token and the Behaviour tab.
      await uiPost(app, ui, '/ui/projects/jira-ok/jira/connection', connection({ secret: '', subject: '{{title}}' })).expect(303);
      const after = (await app.admin('get', '/api/v1/projects/jira-ok/integrations/jira').expect(200)).body;
      expect(after).toMatchObject({ subject: '{{title}}', createRules: { minCount: 5 }, sync: { inbound: false } });
      const test = await uiPost(app, ui, '/ui/projects/jira-ok/jira/connection', connection({ secret: '', action: 'test' })).expect(200);
      expect(test.text).toMatch(/data-check="auth"[^>]*>\s*<strong>auth<\/strong>: Authenticated as/);
    });

    it('names bad Behaviour values next to their fields and keeps the rows typed', async () => {
      await createProject(app, 'jira-beh');
      await uiPost(app, ui, '/ui/projects/jira-beh/jira/connection', connection()).expect(200);
      const res = await uiPost(app, ui, '/ui/projects/jira-beh/jira/behaviour', {
        statusJira: ['Done', 'Closed'],
        statusState: ['resolved', 'resolved'],
        statusPrimary: ['yes', 'yes'],
        minCount: 'lots',
        maxTicketsPerHour: '10',
      }).expect(400);
      expect(fieldError(res.text, 'minCount')[0]).toMatch(/minCount/);
      expect(fieldError(res.text, 'statusMapping')[0]).toMatch(/primary/);
      expect(res.text).toContain('value="Closed"');
      expect(valueOf(res.text, 'minCount')).toBe('lots');
      expect((await app.admin('get', '/api/v1/projects/jira-beh/integrations/jira').expect(200)).body.createRules.minCount).toBe(1);
    });

    it('a test of unsaved values saves nothing; Preview renders the saved subject', async () => {
      await createProject(app, 'jira-prev');
      await uiPost(app, ui, '/ui/projects/jira-prev/jira/connection', connection()).expect(200);
      const test = await uiPost(app, ui, '/ui/projects/jira-prev/jira/connection', connection({ projectKey: 'NOPE', action: 'test' })).expect(200);
      expect(test.text).toMatch(/data-check="project"/);
      expect(test.text).toMatch(/NOPE/);
      // The typed token is never sent back: the page asks for it again instead.
      expect(test.text).not.toContain(sim.credentials.apiToken);
      expect(test.text).toMatch(/id="secret-retype"/);
      expect((await app.admin('get', '/api/v1/projects/jira-prev/integrations/jira').expect(200)).body.projectKey).toBe('CHK');
      const preview = await uiPost(app, ui, '/ui/projects/jira-prev/jira/preview', { fingerprint: '' }).expect(200);
      expect(preview.text).toMatch(/id="preview-subject">\[1\.4\.2\] TypeError/);
    });
  });

  describe('groups and activity', () => {
    it('filters, edits state and assignee, and reports bad input on the group', async () => {
      const p = await createProject(app, 'grp');
      const post = (body: object) => app.http().post('/api/v1/projects/grp/groups').set('Authorization', `Bearer ${p.ingestToken}`).send(body).expect(201);
      await post({ fingerprint: 'g-alpha', title: 'Alpha crash', attributes: { version: { '1.0': 2 } } });
      await post({ fingerprint: 'g-beta', title: 'Beta crash' });

      const search = (await uiGet(app, ui, '/ui/projects/grp/groups?q=alpha').expect(200)).text;
      expect(search).toContain('data-fingerprint="g-alpha"');
      expect(search).not.toContain('data-fingerprint="g-beta"');
      expect(search).toContain('version: 1.0');

      await uiPost(app, ui, '/ui/projects/grp/groups/g-beta', { state: 'in-progress', assignee: 'bob@acme.com', back: '/ui/projects/grp/groups?state=in-progress' })
        .expect(303)
        .expect('Location', '/ui/projects/grp/groups?state=in-progress&done=updated');
      const filtered = (await uiGet(app, ui, '/ui/projects/grp/groups?state=in-progress&done=updated').expect(200)).text;
      expect(filtered).toContain('data-fingerprint="g-beta"');
      expect(filtered).not.toContain('data-fingerprint="g-alpha"');
      expect(filtered).toMatch(/Group updated/);
      expect((await app.admin('get', '/api/v1/projects/grp/groups/g-beta').expect(200)).body).toMatchObject({ state: 'in-progress', assignee: 'bob@acme.com' });

      const bad = await uiPost(app, ui, '/ui/projects/grp/groups/g-beta', { state: 'exploded', assignee: '' }).expect(400);
      expect(bad.text).toMatch(/state must be one of/);
      expect((await app.admin('get', '/api/v1/projects/grp/groups/g-beta').expect(200)).body.state).toBe('in-progress');
      const noJira = await uiPost(app, ui, '/ui/projects/grp/groups/g-beta/ticket', { action: 'create' }).expect(409);
      expect(noJira.text).toMatch(/no enabled Jira integration/);
      const badFilter = await uiGet(app, ui, '/ui/projects/grp/groups?state=bogus').expect(200);
      expect(badFilter.text).toMatch(/state must be one of/);
    });

    it('lists activity with filters and marks failures', async () => {
      const p = await createProject(app, 'act');
      await uiPost(app, ui, '/ui/projects/act/jira/connection', connection({ secret: 'wrong-token' }) as never).expect(200);
      await app.http().post('/api/v1/projects/act/groups').set('Authorization', `Bearer ${p.ingestToken}`).send({ fingerprint: 'act-1' }).expect(201);
      const failed = await (async () => {
        for (let i = 0; i < 100; i++) {
          const html = (await uiGet(app, ui, '/ui/projects/act/activity?kind=ticket.failed').expect(200)).text;
          if (html.includes('data-kind="ticket.failed"')) return html;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('no ticket.failed entry');
      })();
      expect(failed).toMatch(/class="entry problem" data-kind="ticket.failed"/);
      expect(failed).toMatch(/401|credentials|auth/i);
      expect(failed).not.toContain('data-kind="ticket.requested"');
      const badFilter = await uiGet(app, ui, '/ui/projects/act/activity?source=nowhere').expect(400);
      expect(badFilter.text).toMatch(/source must be one of/);
    });

    // Every field of the Connection tab, for reuse above.
    function connection(overrides: Record<string, string> = {}) {
      return {
        apiUrl: sim.apiUrl, authType: 'basic', email: sim.credentials.email, secret: sim.credentials.apiToken,
        projectKey: 'CHK', issueType: 'Bug', subject: '{{title}}', labels: 'crashbridge', action: 'save', enabled: 'on', versionAttribute: 'version',
        ...overrides,
      };
    }
  });

  describe('sign-in rate limit', () => {
    it('answers 429 after 10 wrong tokens a minute from one address, even to the right token', async () => {
      const fresh = await startTestApp(); // its own limiter: the attempts above do not count
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 10; i++) statuses.push((await postSignIn(fresh, `guess-${i}`)).status);
        expect(statuses).toEqual(Array(10).fill(401));
        const blocked = await postSignIn(fresh, fresh.adminToken);
        expect(blocked.status).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
        expect(blocked.text).toMatch(/Too many attempts/);
      } finally {
        await fresh.stop();
      }
    });

    it('does not count successful sign-ins', async () => {
      for (let i = 0; i < 12; i++) expect((await postSignIn(app, app.adminToken)).status).toBe(303);
    });

    it('lets the address try again once its window has ended, with a fresh count, and drops ended windows', async () => {
      const fresh = await startTestApp();
      try {
        for (let i = 0; i < 10; i++) await postSignIn(fresh, `guess-${i}`);
        expect((await postSignIn(fresh, fresh.adminToken)).status).toBe(429);
        await fresh.dataSource.query(`UPDATE sign_in_failures SET window_ends_at = now() - interval '1 second'`);
        expect((await postSignIn(fresh, 'guess-again')).status).toBe(401); // the first failure of a new window
        expect(await fresh.dataSource.query(`SELECT failures FROM sign_in_failures`)).toEqual([{ failures: 1 }]);
        expect((await postSignIn(fresh, fresh.adminToken)).status).toBe(303);

        // Windows that ended over a minute ago are dropped by the next failure (many addresses cannot grow the table).
        await fresh.dataSource.query(
          `INSERT INTO sign_in_failures (address, failures, window_ends_at) SELECT 'old-' || n, 3, now() - interval '2 minutes' FROM generate_series(1, 500) n`,
        );
        await postSignIn(fresh, 'guess-once-more');
        expect(await fresh.dataSource.query(`SELECT count(*)::int AS n FROM sign_in_failures WHERE address LIKE 'old-%'`)).toEqual([{ n: 0 }]);
      } finally {
        await fresh.stop();
      }
    });

    (testMode() === 'postgres' ? it : it.skip)('counts failures across API processes sharing the database', async () => {
      const first = await startTestApp({ env: { ROLE: 'api' } });
      const { databaseUrl, dataDir, queuePrefix } = first.config;
      const second = await startTestApp({ env: { ROLE: 'api' }, reuse: { databaseUrl, dataDir, queuePrefix } });
      try {
        for (let i = 0; i < 5; i++) expect((await postSignIn(first, `guess-${i}`)).status).toBe(401);
        for (let i = 5; i < 10; i++) expect((await postSignIn(second, `guess-${i}`)).status).toBe(401);
        expect((await postSignIn(first, first.adminToken)).status).toBe(429);
        expect((await postSignIn(second, second.adminToken)).status).toBe(429);
      } finally {
        await second.stop();
        await first.stop();
      }
    });

    it('counts by the socket address unless TRUST_PROXY names the proxy: X-Forwarded-For from anyone else is ignored', async () => {
      const fresh = await startTestApp(); // TRUST_PROXY unset
      try {
        for (let i = 0; i < 10; i++) expect((await postSignIn(fresh, `guess-${i}`, undefined, { forwardedFor: `203.0.113.${i}` })).status).toBe(401);
        expect((await postSignIn(fresh, fresh.adminToken, undefined, { forwardedFor: '198.51.100.7' })).status).toBe(429);
      } finally {
        await fresh.stop();
      }
    });

    it('behind a trusted proxy (TRUST_PROXY=loopback): counts per client address and marks the cookie Secure under HTTPS', async () => {
      const proxied = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
      try {
        for (let i = 0; i < 10; i++) expect((await postSignIn(proxied, `guess-${i}`, undefined, { forwardedFor: '203.0.113.9' })).status).toBe(401);
        expect((await postSignIn(proxied, proxied.adminToken, undefined, { forwardedFor: '203.0.113.9' })).status).toBe(429);
        const other = await postSignIn(proxied, proxied.adminToken, undefined, { forwardedFor: '198.51.100.7', forwardedProto: 'https' });
        expect(other.status).toBe(303);
        const session = ((other.headers['set-cookie'] as unknown as string[]) ?? []).find((c) => c.startsWith('cb_session='));
        expect(session).toMatch(/; Secure/i);
        const plain = await postSignIn(proxied, proxied.adminToken, undefined, { forwardedFor: '198.51.100.8' });
        expect(((plain.headers['set-cookie'] as unknown as string[]) ?? []).find((c) => c.startsWith('cb_session='))).not.toMatch(/; Secure/i);
      } finally {
        await proxied.stop();
      }
    });
  });
});
