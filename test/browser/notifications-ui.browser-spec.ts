// The Notifications page in Chromium: a refused URL shows the API's message, settings are saved with a secret that
// is never shown again, a delivery to a local receiver appears with its outcome, an empty secret keeps the stored one,
// and the settings are deleted. Screenshots go to test/artifacts/.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { EventReceiver, signatureOf } from '../support/notification-receiver';
import { launchBrowser, overflowsHorizontally, screenshot } from '../support/browser';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

const SECRET = 'browser-receiver-secret-42';

describe('notifications page in a browser', () => {
  let app: TestApp;
  let receiver: EventReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    receiver = new EventReceiver();
    [app, browser] = await Promise.all([startTestApp(), launchBrowser(), receiver.start()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    // A CSP violation or a script error shows in the console (the 400 answers of the refused forms are expected).
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('dialog', (d) => void d.accept());
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await receiver?.stop();
    await app?.stop();
  });

  const errorText = () => page.locator('[role=alert]').allInnerTexts().then((t) => t.join('\n'));
  const secretState = () => page.locator('#secret-state').getAttribute('data-secret');

  it('saves the receiver, shows its deliveries, keeps the secret when left empty, and deletes it', async () => {
    const { key } = await createProject(app);
    await page.goto(`${app.url}/ui/sign-in`);
    await page.fill('#token', app.adminToken);
    await page.click('form[action="/ui/sign-in"] button[type=submit]');
    await page.waitForURL(/\/ui\/projects$/);
    await page.click(`tr[data-project="${key}"] >> text=Notifications`);
    await page.waitForURL(/\/notifications$/);
    expect(await page.locator('header nav a[aria-current=page]').innerText()).toBe('Notifications');
    expect(await secretState()).toBe('not set');
    expect(await page.locator('#notifications-deliveries').innerText()).toContain('No delivery attempt yet');
    await screenshot(page, 'notifications-empty');

    // A URL the egress rules refuse: the API's 400 message, next to the field; what was typed stays, the secret does not.
    await page.fill('#notifications-url', 'http://169.254.169.254/latest/meta-data');
    await page.fill('#notifications-secret', SECRET);
    await page.check('input[name=events][value="group.created"]');
    await page.click('#notifications-form button[type=submit]');
    await page.waitForURL(/\/notifications$/);
    expect(await errorText()).toMatch(/url is refused/);
    expect(await page.inputValue('#notifications-url')).toBe('http://169.254.169.254/latest/meta-data');
    expect(await page.inputValue('#notifications-secret')).toBe('');
    expect(await page.isChecked('input[name=events][value="group.created"]')).toBe(true);
    await screenshot(page, 'notifications-refused');

    // Saved: the secret is "set" and never in the page.
    await page.fill('#notifications-url', receiver.url);
    await page.fill('#notifications-secret', SECRET);
    await page.check('input[name=events][value="group.assigned"]');
    await page.check('input[name=events][value="comment.added"]');
    await page.click('#notifications-form button[type=submit]');
    await page.waitForURL(/\/notifications\?done=saved$/);
    expect(await page.locator('p.notice').innerText()).toContain('Notification settings saved.');
    expect(await secretState()).toBe('set');
    expect(await page.content()).not.toContain(SECRET);
    const api = (await app.admin('get', `/api/v1/projects/${key}/notifications`).expect(200)).body;
    expect(api).toMatchObject({ url: receiver.url, events: ['group.created', 'group.assigned', 'comment.added'], secretSet: true });

    // A delivery appears with its outcome and HTTP status, and the counts settle at zero.
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'ui-crash', title: 'Boom' }).expect(201);
    await eventually(async () => receiver.of(key).length === 1, 15_000);
    await page.goto(`${app.url}/ui/projects/${key}/notifications`);
    const row = page.locator('table.deliveries tbody tr').first();
    expect(await row.getAttribute('data-outcome')).toBe('delivered');
    expect(await row.innerText()).toMatch(/group\.created[\s\S]*ui-crash[\s\S]*delivered\s+204/);
    expect(await page.locator('[data-count=pending]').innerText()).toBe('0 pending');
    expect(await page.locator('[data-count=failing]').innerText()).toBe('0 failing');
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'notifications-delivered');

    // Saved again with the secret left empty and group.created unchecked: the stored secret still signs.
    await page.uncheck('input[name=events][value="group.created"]');
    await page.click('#notifications-form button[type=submit]');
    await page.waitForURL(/done=saved$/);
    expect(await secretState()).toBe('set');
    await app.admin('patch', `/api/v1/projects/${key}/groups/ui-crash`).send({ assignee: 'ana' }).expect(200);
    await eventually(async () => receiver.of(key).length === 2, 15_000);
    const assigned = receiver.of(key)[1];
    expect(assigned.type).toBe('group.assigned');
    expect(assigned.signature).toBe(signatureOf(SECRET, assigned.raw));

    // No event checked: a 400 naming events.
    for (const type of ['group.assigned', 'comment.added']) await page.uncheck(`input[name=events][value="${type}"]`);
    await page.click('#notifications-form button[type=submit]');
    expect(await errorText()).toMatch(/events/);
    await screenshot(page, 'notifications-no-events');

    // Deleted (after the confirmation): nothing stored, the attempts stay listed.
    await page.goto(`${app.url}/ui/projects/${key}/notifications`);
    await page.click('form.delete-notifications button[type=submit]');
    await page.waitForURL(/done=deleted$/);
    expect(await secretState()).toBe('not set');
    expect(await page.inputValue('#notifications-url')).toBe('');
    await app.admin('get', `/api/v1/projects/${key}/notifications`).expect(404);
    expect(await page.locator('table.deliveries tbody tr').count()).toBe(2);
    expect(consoleErrors).toEqual([]);
  });

  it('shows a failing receiver: its attempts with the error, and the failing count; it fits a phone screen', async () => {
    const { key } = await createProject(app);
    // Nothing listens on port 9 of loopback: every attempt fails without an answer.
    await app.admin('put', `/api/v1/projects/${key}/notifications`).send({ url: 'http://127.0.0.1:9/hooks', secret: SECRET, events: ['group.created'] }).expect(200);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'down-crash' }).expect(201);
    await eventually(async () => {
      const d = await app.admin('get', `/api/v1/projects/${key}/notifications/deliveries`).expect(200);
      return d.body.items.length >= 2;
    }, 15_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/ui/projects/${key}/notifications`);
    const row = page.locator('table.deliveries tbody tr').first();
    expect(await row.getAttribute('data-outcome')).toBe('failed');
    expect(await row.locator('td.detail').innerText()).not.toBe('—');
    expect(await page.locator('[data-count=pending]').innerText()).toBe('1 pending');
    expect(await page.locator('[data-count=failing]').innerText()).toBe('1 failing');
    await screenshot(page, 'notifications-failing');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'notifications-phone');
  });
});
