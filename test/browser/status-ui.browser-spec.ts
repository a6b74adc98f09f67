// The project status page in Chromium: real activity (ingest with a ticket rule, tickets in the
// simulator, a Jira change delivered as a webhook, a reconciliation) and a day of history written
// in bulk, then each chart is checked for data and the page is saved as a screenshot.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { JiraSimulator } from '../jira-sim';
import { launchBrowser, overflowsHorizontally, screenshot } from '../support/browser';
import { issuesWithLabel, startSim } from '../support/jira';
import { seedStatus } from '../support/status-seed';
import { connectSync, settleWebhooks, SyncProject, waitOutboxIdle } from '../support/sync';
import { eventually, startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

describe('status page in a browser', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let project: SyncProject;

  beforeAll(async () => {
    [app, sim, browser] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud' }), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    project = await connectSync(app, sim, { createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 1000 } });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await sim?.stop();
    await app?.stop();
  });

  const chartTotal = (id: string) => page.locator(`svg[data-chart="${id}"]`).getAttribute('data-total').then(Number);

  it('charts tickets, webhooks, failures, the queue, reconciliation and health', async () => {
    // Live activity: three groups get tickets, one ticket is resolved in Jira (a webhook), then a reconciliation.
    await app
      .admin('post', `/api/v1/projects/${project.key}/groups`)
      .send({ groups: ['status-a', 'status-b', 'status-c'].map((fingerprint) => ({ fingerprint, title: `Crash ${fingerprint}`, attributes: { platform: 'Linux', version: '1.0' } })) })
      .expect(200);
    await waitOutboxIdle(app, project.projectId);
    const issues = await eventually(async () => (issuesWithLabel(sim, 'crashbridge').length === 3 ? issuesWithLabel(sim, 'crashbridge') : null));
    sim.transition(issues[0].key, 'Done');
    await settleWebhooks(app, sim, project.projectId);
    await app.admin('post', `/api/v1/projects/${project.key}/integrations/jira/resync`).expect((res) => expect(res.status).toBeLessThan(300));
    await waitOutboxIdle(app, project.projectId);
    // The day before, written after the live part: its jobs due later would keep the outbox busy.
    await seedStatus(app.dataSource, project.projectId);

    await page.goto(`${app.url}/ui/sign-in`);
    await page.fill('#token', app.adminToken);
    await page.click('form[action="/ui/sign-in"] button[type=submit]');
    await page.waitForURL(/\/ui\/projects$/);
    await page.goto(`${app.url}/ui/projects/${project.key}/groups`);
    await page.click('nav >> text=Status');
    await page.waitForURL(/\/status$/);

    expect(await page.locator('h1').innerText()).toContain('Status');
    // The seeded day (24 created, 2 failed) plus the three tickets made now.
    expect(await chartTotal('tickets')).toBe(24 + 2 + 3);
    expect(await chartTotal('webhooks')).toBeGreaterThanOrEqual(12 + 1);
    expect(await chartTotal('failures')).toBe(6);
    expect(await chartTotal('queue')).toBeGreaterThanOrEqual(3);
    expect(await chartTotal('reconciliation')).toBeGreaterThanOrEqual(8);
    expect(await page.locator('#chart-reconciliation .hint').innerText()).toMatch(/^3 runs/);
    expect(await page.locator('svg[data-chart="health"] [data-tile="Credentials"]').getAttribute('data-tone')).toBe('ok');
    expect(await page.locator('svg[data-chart="health"] [data-tile="Last delivery"]').getAttribute('data-tone')).toBe('ok');
    expect(await page.locator('section.chart').count()).toBe(6);
    // Each chart is drawn at a readable size, side by side on a laptop.
    const box = await page.locator('svg[data-chart="tickets"]').boundingBox();
    expect(box!.width).toBeGreaterThan(400);
    await screenshot(page, 'status');

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'status-phone');
  });
});
