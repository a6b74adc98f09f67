// The Routes tab in Debian's Chromium: a route with a condition is filled in, saved and previewed,
// with ui.js (rows added in the page) and without JavaScript (every button posts the form).
// Screenshots go to test/artifacts/.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { JiraSimulator, MOBILE_PROJECT } from '../jira-sim';
import { launchBrowser, overflowsHorizontally, screenshot } from '../support/browser';
import { configureJira, startSim } from '../support/jira';
import { createProject, startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(180_000);

describe('routes editor in a browser', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let browser: Browser;

  beforeAll(async () => {
    [app, sim, browser] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud', projects: [MOBILE_PROJECT] }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sim?.stop();
    await app?.stop();
  });

  const ui = (path: string) => `${app.url}/ui${path}`;
  const settingsOf = async (key: string) => (await app.admin('get', `/api/v1/projects/${key}/integrations/jira`).expect(200)).body;

  async function signedIn(javaScriptEnabled: boolean, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(ui('/sign-in'));
    await page.fill('#token', app.adminToken);
    await page.click('form[action="/ui/sign-in"] button[type=submit]');
    await page.waitForURL(/\/ui\/projects$/);
    return { context, page };
  }

  async function configuredProject(): Promise<string> {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { subject: '[$version] {{title}}', labels: 'crashbridge' });
    return key;
  }

  it('fills a route with conditions, saves it, and previews the issue it would open', async () => {
    const key = await configuredProject();
    const { context, page } = await signedIn(true);
    try {
      await page.goto(ui(`/projects/${key}/jira`));
      await page.click('nav.tabs >> text=Routes');
      expect(await page.locator('#no-routes').count()).toBe(1);

      // "Add route" adds it in the page (ui.js), focused, with one blank condition row.
      await page.click('#route-add');
      const route = page.locator('#routes > li').first();
      expect(await page.evaluate<string | undefined>('document.activeElement && document.activeElement.name')).toBe('routes[0].name');
      expect(await page.locator('#no-routes').count()).toBe(0);
      await route.locator('[data-field=name]').fill('mobile');
      await route.locator('[data-field=projectKey]').fill('MOB');
      await route.locator('[data-field=issueType]').fill('Task');
      await route.locator('[data-field=subject]').fill('[$platform] {{title}}');
      await route.locator('[data-field=labels]').fill('crashbridge, mobile');
      const rows = route.locator('table.conditions tbody tr');
      await rows.nth(0).locator('[data-field=attribute]').fill('platform');
      await rows.nth(0).locator('[data-field=op]').selectOption('in');
      await rows.nth(0).locator('[data-field=value]').fill('Linux, Android');
      // A second row, added in the page and named by its position.
      await route.locator('button:has-text("Add condition")').click();
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(1).locator('[data-field=attribute]').getAttribute('name')).toBe('routes[0].when[1].attribute');
      await rows.nth(1).locator('[data-field=attribute]').fill('version');
      await rows.nth(1).locator('[data-field=op]').selectOption('exists');
      expect(await rows.nth(1).locator('[data-field=value]').isDisabled()).toBe(true); // exists takes no value
      await rows.nth(1).locator('[data-field=any]').check();
      expect(await page.locator('#unsaved').count()).toBe(1);
      await screenshot(page, 'jira-routes-editing');

      await page.click('#routes-save');
      await page.waitForURL(/tab=routes&saved=1/);
      expect(await page.locator('.notice').innerText()).toMatch(/saved/);
      expect((await settingsOf(key)).routes).toEqual([
        {
          name: 'mobile',
          when: [
            { attribute: 'platform', op: 'in', value: ['Linux', 'Android'] },
            { attribute: 'version', op: 'exists', any: true },
          ],
          projectKey: 'MOB',
          issueType: 'Task',
          subject: '[$platform] {{title}}',
          labels: 'crashbridge, mobile',
        },
      ]);

      // Preview through the route: its project, issue type and subject, on the Routes tab.
      await page.selectOption('#preview-route', 'mobile');
      await page.click('#preview button[type=submit]');
      expect(await page.locator('#preview-subject').innerText()).toBe("[Linux] TypeError: Cannot read properties of undefined (reading 'id')");
      expect(await page.locator('#preview-project').innerText()).toMatch(/^MOB · Task \(\d+\)$/);
      expect(await page.locator('#preview-route-used').innerText()).toBe('mobile');
      expect(await page.inputValue('#preview-route')).toBe('mobile');
      expect(await page.locator('#routes-form').count()).toBe(1);
      await screenshot(page, 'jira-routes-preview');
    } finally {
      await context.close();
    }
  });

  it('works without JavaScript: add, reorder and remove post the form and keep what was typed', async () => {
    const key = await configuredProject();
    const { context, page } = await signedIn(false);
    try {
      await page.goto(ui(`/projects/${key}/jira?tab=routes`));
      await page.click('#route-add');
      await page.fill('input[name="routes[0].name"]', 'first');
      await page.fill('input[name="routes[0].projectKey"]', 'CHK');
      await page.fill('input[name="routes[0].when[0].attribute"]', 'environment');
      await page.fill('input[name="routes[0].when[0].value"]', 'production');
      await page.click('#route-add');
      expect(await page.inputValue('input[name="routes[0].name"]')).toBe('first');
      await page.fill('input[name="routes[1].name"]', 'second');
      await page.fill('input[name="routes[1].projectKey"]', 'MOB');
      await page.fill('input[name="routes[1].when[0].attribute"]', 'title');
      await page.selectOption('select[name="routes[1].when[0].op"]', 'matches');
      await page.fill('input[name="routes[1].when[0].value"]', '(unclosed');
      await page.click('button[value="up:routes[1]"]');
      expect(await page.inputValue('input[name="routes[0].name"]')).toBe('second');
      expect(await page.inputValue('input[name="routes[1].when[0].value"]')).toBe('production');

      // A bad pattern: the error shows next to the row's value, nothing is saved.
      await page.click('#routes-save');
      expect(await page.locator('[data-error-for="routes[0].when[0].value"]').innerText()).toMatch(/regular expression/);
      expect((await settingsOf(key)).routes).toEqual([]);
      await screenshot(page, 'jira-routes-error');

      await page.fill('input[name="routes[0].when[0].value"]', '^Fatal');
      await page.click('button[value="remove:routes[1]"]');
      await page.click('#routes-save');
      await page.waitForURL(/tab=routes&saved=1/);
      expect((await settingsOf(key)).routes).toEqual([{ name: 'second', when: [{ attribute: 'title', op: 'matches', value: '^Fatal' }], projectKey: 'MOB' }]);
    } finally {
      await context.close();
    }
  });

  it('fits a phone screen', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, {
      routes: [{ name: 'mobile', when: [{ attribute: 'platform', op: 'in', value: ['iOS', 'Android'], any: true }], projectKey: 'MOB' }],
      valueMaps: { severity: { fatal: 'Highest', '*': 'Medium' } },
    });
    const { context, page } = await signedIn(true, { width: 390, height: 844 });
    try {
      await page.goto(ui(`/projects/${key}/jira?tab=routes`));
      expect(await overflowsHorizontally(page)).toBe(false);
      await screenshot(page, 'phone-jira-routes');
    } finally {
      await context.close();
    }
  });
});
