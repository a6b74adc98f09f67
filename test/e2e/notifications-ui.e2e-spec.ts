// The Notifications page over HTTP (the browser spec drives it in Chromium): a signed-in session and its CSRF token
// for every form, the secret written once and never shown, the API's messages for bad input, and HTML escaped.
import { createProject, startTestApp, TestApp } from '../support/test-app';
import { signIn, UiClient, uiGet, uiPost } from '../support/ui-session';

const SECRET = 'ui-notification-secret-987654';

describe('notifications page', () => {
  let app: TestApp;
  let ui: UiClient;
  beforeAll(async () => {
    app = await startTestApp();
    ui = await signIn(app);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('needs a session and the CSRF token', async () => {
    const { key } = await createProject(app);
    const path = `/ui/projects/${key}/notifications`;
    const anonymous = await app.http().get(path).expect(303);
    expect(anonymous.headers.location).toContain('/ui/sign-in?next=');
    const fields = { url: 'https://hooks.example.com/x', secret: SECRET, events: 'group.created' };
    await uiPost(app, ui, path, fields, null).expect(403);
    await uiPost(app, ui, path, fields, 'not-the-token').expect(403);
    await uiPost(app, ui, `${path}/delete`, {}, null).expect(403);
    await app.admin('get', `/api/v1/projects/${key}/notifications`).expect(404);
  });

  it('saves, keeps the secret when left empty, shows the API messages, escapes what was typed, and deletes', async () => {
    const { key } = await createProject(app);
    const path = `/ui/projects/${key}/notifications`;
    expect((await uiGet(app, ui, path).expect(200)).text).toContain('data-secret="not set"');

    const noSecret = await uiPost(app, ui, path, { url: 'https://hooks.example.com/x', secret: '', events: 'group.created' }).expect(400);
    expect(noSecret.text).toContain('secret is required');
    const refused = await uiPost(app, ui, path, { url: 'http://169.254.169.254/"><script>x</script>', secret: SECRET, events: 'group.created' }).expect(400);
    expect(refused.text).toMatch(/data-error-for="url">url /);
    expect(refused.text).not.toContain('<script>x');
    expect(refused.text).not.toContain(SECRET);
    const unknown = await uiPost(app, ui, path, { url: 'https://hooks.example.com/x', secret: SECRET, events: ['group.created', 'group.nope'] }).expect(400);
    expect(unknown.text).toMatch(/data-error-for="events">[^<]*events/);

    const saved = await uiPost(app, ui, path, { url: 'https://hooks.example.com/x', secret: SECRET, events: ['group.created', 'comment.added'] }).expect(303);
    expect(saved.headers.location).toBe(`${path}?done=saved`);
    const before = (await app.dataSource.query(`SELECT secret_enc FROM notification_settings s JOIN projects p ON p.id = s.project_id WHERE p.key = $1`, [key]))[0].secret_enc;
    await uiPost(app, ui, path, { url: 'https://hooks.example.com/y', secret: '', events: 'comment.added' }).expect(303);
    const after = (await app.dataSource.query(`SELECT secret_enc FROM notification_settings s JOIN projects p ON p.id = s.project_id WHERE p.key = $1`, [key]))[0].secret_enc;
    expect(after).toBe(before);
    const shown = (await uiGet(app, ui, `${path}?done=saved`).expect(200)).text;
    expect(shown).toContain('data-secret="set"');
    expect(shown).toContain('value="https://hooks.example.com/y"');
    expect(shown).toMatch(/value="comment.added" checked/);
    expect(shown).not.toMatch(/value="group.created" checked/);
    expect(shown).not.toContain(SECRET);
    expect((await app.admin('get', `/api/v1/projects/${key}/notifications`).expect(200)).body).toMatchObject({ url: 'https://hooks.example.com/y', events: ['comment.added'] });

    await uiPost(app, ui, `${path}/delete`, {}).expect(303);
    await app.admin('get', `/api/v1/projects/${key}/notifications`).expect(404);
    await app.admin('delete', `/api/v1/projects/${key}/notifications`).expect(404);
    expect((await uiPost(app, ui, `${path}/delete`, {}).expect(404)).text).toContain('no notification settings');
  });
});
