// The Backfill tab in Chromium: 500 groups without issues, a backfill started from the form, its progress bar
// while it runs (the simulator answers slowly) and the summary when it is done.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { JiraSimulator } from '../jira-sim';
import { launchBrowser, screenshot } from '../support/browser';
import { configureJira, startSim } from '../support/jira';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

describe('backfill page in a browser', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [app, sim, browser] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud' }), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await sim?.stop();
    await app?.stop();
  });

  it('starts a backfill of 500 groups from the form and shows its progress, then the summary', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: false } });
    await app.dataSource.query(
      `INSERT INTO error_groups (project_id, fingerprint, title, count, first_seen, last_seen)
       SELECT $1, 'ui-' || i, 'Crash ' || i, 1 + i % 7, now() - interval '1 hour', now() FROM generate_series(1, 500) i`,
      [await projectIdOf(app, key)],
    );
    sim.faults.latency(300);
    await page.goto(`${app.url}/ui/sign-in`);
    await page.fill('#token', app.adminToken);
    await page.click('form[action="/ui/sign-in"] button[type=submit]');
    await page.waitForURL(/\/ui\/projects$/);
    await page.goto(`${app.url}/ui/projects/${key}/jira`);
    await page.click('nav.tabs >> text=Backfill');
    await page.waitForURL(/\/jira\/backfill$/);
    expect(await page.locator('#backfill-run').innerText()).toContain('No backfill yet');
    await page.click('#backfill-form button[type=submit]');
    await page.waitForURL(/\/jira\/backfill$/);
    const bar = page.locator('progress#backfill-progress');
    expect(await bar.getAttribute('max')).toBe('500');
    expect(await page.locator('#backfill-run h2').innerText()).toBe('Backfill running');
    await screenshot(page, 'backfill-running');
    sim.faults.latency(0);
    await eventually(async () => {
      await page.goto(`${app.url}/ui/projects/${key}/jira/backfill`);
      return (await page.locator('#backfill-run').innerText()).includes('done: 500 created');
    }, 60_000, 500);
    expect(await bar.getAttribute('value')).toBe('500');
    await screenshot(page, 'backfill-done');
    await page.goto(`${app.url}/ui/projects/${key}/activity`);
    expect(await page.locator('body').innerText()).toContain('Backfill done: 500 created, 0 failed, 0 skipped of 500');
  });
});
