// The triage table and a group's page in Debian's Chromium: sorting by the column headers, filtering,
// a bulk action on ticked rows, and the detail page's chart and histograms, under the strict CSP.
// Screenshots go to test/artifacts/.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { JiraSimulator } from '../jira-sim';
import { launchBrowser, overflowsHorizontally, screenshot } from '../support/browser';
import { configureJira, startSim } from '../support/jira';
import { createProject, projectIdOf, startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(180_000);

const TITLES = ['TypeError: Cannot read properties of undefined (reading \'id\')', 'NullPointerException in CheckoutService.submit', 'ECONNRESET while calling payments API', 'Out of memory in image resizer', 'Timeout waiting for lock on orders'];

/** Realistic-looking groups: counts, times, states, assignees and linked issues spread out; buckets for the chart. */
const SHAPE = `
WITH issues AS (
  INSERT INTO jira_issues (project_id, issue_id, issue_key, url, status)
  SELECT $1, 'ui-' || i, 'CHK-' || (100 + i), 'https://jira.invalid/browse/CHK-' || (100 + i), (ARRAY['To Do', 'In Progress', 'Done'])[1 + i % 3]
    FROM generate_series(0, 5) i RETURNING id
), numbered AS (
  SELECT id, row_number() OVER (ORDER BY id) AS n FROM error_groups WHERE project_id = $1
)
UPDATE error_groups g SET
  count = (n * 7919) % 5000 + 1,
  last_seen = now() - (n * 37 % 600) * interval '7 minutes',
  first_seen = now() - (n * 37 % 600) * interval '7 minutes' - n * interval '5 hours',
  state = (ARRAY['open', 'open', 'in-progress', 'resolved', 'muted'])[1 + n % 5],
  assignee = CASE WHEN n % 3 = 0 THEN (ARRAY['ana@example.com', 'ben@example.com'])[1 + n % 2] END,
  ticket_ref = CASE WHEN n % 4 = 0 THEN (SELECT id FROM issues ORDER BY id OFFSET n % 6 LIMIT 1) END
FROM numbered WHERE g.id = numbered.id`;

const BUCKETS = `
INSERT INTO group_hourly_counts AS c (group_id, hour, count)
SELECT g.id, date_trunc('hour', now()) - h * interval '1 hour', 1 + ((h * 13) % 17) * (1 + (h / 24))
  FROM error_groups g, generate_series(0, 80) h WHERE g.project_id = $1 AND g.fingerprint = 'web-001'
ON CONFLICT (group_id, hour) DO UPDATE SET count = c.count + EXCLUDED.count`;

describe('triage table and group page in a browser', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let browser: Browser;
  let key: string;

  beforeAll(async () => {
    [app, sim, browser] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud' }), launchBrowser()]);
    key = (await createProject(app)).key;
    await configureJira(app, key, sim, { createRules: { onNewGroup: false } });
    const groups = Array.from({ length: 60 }, (_, i) => ({
      fingerprint: `web-${String(i + 1).padStart(3, '0')}`,
      title: `${TITLES[i % TITLES.length]} #${i + 1}`,
      callstack: ['at handler (src/api/orders.ts:42:13)', 'at Layer.handle (node_modules/express/lib/router/layer.js:95:5)', 'at next (node_modules/express/lib/router/route.js:149:13)'],
      attributes: { version: { [`2.${i % 4}.0`]: 3 + i, [`2.${(i + 1) % 4}.1`]: 1 + (i % 5) }, platform: { Android: 20 + i, iOS: 11, Web: 4 + (i % 3) }, browser: { Chrome: 9, Firefox: 3 } },
    }));
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups }).expect(200);
    const projectId = await projectIdOf(app, key);
    await app.dataSource.query(SHAPE, [projectId]);
    await app.dataSource.query(BUCKETS, [projectId]);
  });
  afterAll(async () => {
    await browser?.close();
    await sim?.stop();
    await app?.stop();
  });

  const ui = (path: string) => `${app.url}/ui${path}`;
  const cspViolations: string[] = [];

  async function signedIn(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(ui('/sign-in'));
    await page.fill('#token', app.adminToken);
    await page.click('form[action="/ui/sign-in"] button[type=submit]');
    await page.waitForURL(/\/ui\/projects$/);
    return { context, page };
  }
  const counts = (page: Page) => page.locator('.triage-table tbody td.count').allInnerTexts().then((t) => t.map((c) => Number(c.replace(/,/g, ''))));

  it('sorts by the column headers, filters, and applies a bulk action to the ticked rows', async () => {
    const { context, page } = await signedIn();
    try {
      await page.goto(ui(`/projects/${key}/groups`));
      expect(await page.locator('.triage-table tbody tr').count()).toBe(50);
      await screenshot(page, 'groups-table');

      await page.click('th a[data-sort=count]');
      await page.waitForURL(/sort=-count/);
      const desc = await counts(page);
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
      await page.click('th a[data-sort=count]');
      await page.waitForURL(/sort=count/);
      const asc = await counts(page);
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      expect(asc[0]).toBeLessThan(desc[0]);

      // Page 2 of the ascending order continues it; the filter form keeps the sort.
      await page.click('nav.pager a[rel=next]');
      await page.waitForURL(/cursor=/);
      expect((await counts(page))[0]).toBeGreaterThanOrEqual(asc[asc.length - 1]);
      await page.selectOption('#filter-state', 'open');
      await page.selectOption('#filter-ticket', 'none');
      await page.click('.triage-filters button[type=submit]');
      await page.waitForURL(/state=open/);
      expect(page.url()).toMatch(/sort=count/);
      expect(page.url()).not.toMatch(/cursor=/);
      const states = await page.locator('.triage-table tbody .badge[class*=state-]').allInnerTexts();
      expect(states.length).toBeGreaterThan(0);
      expect(new Set(states)).toEqual(new Set(['open']));
      expect(await page.locator('.triage-table tbody .ticket-link').count()).toBe(0);

      // Tick the first two rows, set their assignee, and come back to the same filtered page with a summary.
      const picked = await page.locator('.triage-table tbody tr').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.getAttribute('data-fingerprint')));
      for (const fp of picked) await page.check(`input[name=fingerprints][value="${fp}"]`);
      await page.fill('.bulk-bar input[name=assignee]', 'zoe@example.com');
      await page.click('.bulk-bar button[value=setAssignee]');
      await page.waitForURL(/done=bulk/);
      expect(page.url()).toMatch(/state=open/);
      expect(await page.locator('.notice').innerText()).toBe('2 groups done.');
      for (const fp of picked) expect(await page.locator(`tr[data-fingerprint="${fp}"] td.assignee`).innerText()).toBe('zoe@example.com');
      await screenshot(page, 'groups-table-bulk');

      // "Select all" ticks the page (ui.js); an unknown sort is an error on the page, not a failure.
      await page.check('[data-select-all]');
      expect(await page.locator('input[name=fingerprints]:checked').count()).toBe(await page.locator('input[name=fingerprints]').count());
      await page.goto(ui(`/projects/${key}/groups?sort=title`));
      expect(await page.locator('[data-error-for=sort]').innerText()).toMatch(/sort must be one of/);
      expect(await page.locator('.triage-table tbody tr').count()).toBe(50);
      expect(cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a group: call stack, triage forms, the hourly chart and the attribute histograms', async () => {
    const { context, page } = await signedIn();
    try {
      await page.goto(ui(`/projects/${key}/groups?q=web-001`));
      await page.click('a.group-title');
      await page.waitForURL(/\/groups\/web-001$/);
      expect(await page.locator('h1.group-title').innerText()).toMatch(/#1$/);
      expect(await page.locator('pre.callstack').innerText()).toContain('orders.ts:42');
      expect(await page.locator('svg.sparkline rect').count()).toBe(81);
      expect(await page.locator('.pruned-note').innerText()).toMatch(/kept for 30 days/);
      expect(await page.locator('table.histogram').count()).toBe(3);
      const widths = await page.locator('table.histogram[data-attribute=platform] rect').evaluateAll((rs) => rs.map((r) => r.getAttribute('width')));
      expect(widths[0]).toBe('100');
      await screenshot(page, 'group-detail');

      // The state form on the page saves and comes back to it.
      await page.selectOption('select[name=state]', 'in-progress');
      await page.click('form.inline button:has-text("Save")');
      await page.waitForURL(/done=updated/);
      expect(await page.locator('.detail-head .badge').innerText()).toBe('in-progress');

      // A phone: the page does not scroll sideways.
      const phone = await context.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(ui(`/projects/${key}/groups/web-001`));
      expect(await overflowsHorizontally(phone)).toBe(false);
      await phone.goto(ui(`/projects/${key}/groups`));
      expect(await overflowsHorizontally(phone)).toBe(false);
      expect(cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
