// The settings UI driven in Debian's Chromium, as an admin would use it: sign in, create a
// project, configure Jira against the simulator (Test connection, Preview), watch a group
// get its ticket, change its state, read the activity log. Screenshots go to test/artifacts/.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { JiraSimulator } from '../jira-sim';
import { launchBrowser, overflowsHorizontally, screenshot } from '../support/browser';
import { startSim } from '../support/jira';
import { eventually, startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(180_000);

describe('settings UI in a browser', () => {
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

  const ui = (path: string) => `${app.url}/ui${path}`;
  const checkDetail = (name: string) => page.locator(`#connection-test [data-check="${name}"]`).innerText();

  async function signIn(token: string): Promise<void> {
    await page.goto(ui('/sign-in'));
    await page.fill('#token', token);
    await page.click('form[action="/ui/sign-in"] button[type=submit]');
  }

  it('refuses a wrong admin token with a message', async () => {
    await signIn('not-the-admin-token');
    await expect(page.locator('#sign-in-error')).toBeDefined();
    expect(await page.locator('#sign-in-error').innerText()).toMatch(/not valid/);
    expect(page.url()).toContain('/ui/sign-in');
    await screenshot(page, 'sign-in-error');
  });

  it('configures Jira, creates a ticket, syncs a state change, and logs it, without curl', async () => {
    // Sign in: a protected page sends the browser to sign-in and back.
    await page.goto(ui('/projects'));
    expect(page.url()).toContain('/ui/sign-in?next=');
    await page.fill('#token', app.adminToken);
    await page.click('form[action="/ui/sign-in"] button[type=submit]');
    await page.waitForURL(/\/ui\/projects$/);
    const session = (await context.cookies()).find((c) => c.name === 'cb_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // Create a project: the ingest token is shown once.
    await page.fill('#key', 'web');
    await page.fill('#name', 'Web shop');
    await page.click('form[action="/ui/projects"] button[type=submit]');
    const ingestToken = await page.inputValue('#ingest-token');
    expect(ingestToken).toMatch(/^cb_ing_/);
    expect(await page.locator('tr[data-project="web"]').count()).toBe(1);
    await screenshot(page, 'projects');

    // Jira connection with a required custom field left out: Test connection names it.
    sim.setRequired('customfield_10010', true);
    await page.click('tr[data-project="web"] >> text=Jira settings');
    await page.fill('#apiUrl', sim.apiUrl);
    await page.selectOption('#authType', 'basic');
    await page.fill('#email', sim.credentials.email);
    await page.fill('#secret', sim.credentials.apiToken);
    await page.fill('#projectKey', 'CHK');
    await page.fill('#issueType', 'Bug');
    await page.fill('#subject', '[$version] {{title}}');
    await page.fill('#labels', 'crashbridge, $platform');
    await page.click('#test-connection');
    expect(await checkDetail('auth')).toMatch(/Authenticated as/);
    expect(await checkDetail('requiredFields')).toMatch(/Platform|customfield_10010/);
    expect(await page.locator('#connection-test li.bad').count()).toBeGreaterThan(0);
    // Nothing typed was lost but the token, which is never sent back to the browser.
    expect(await page.inputValue('#subject')).toBe('[$version] {{title}}');
    expect(await page.inputValue('#secret')).toBe('');
    expect(await page.locator('#secret-retype').innerText()).toMatch(/type it again/);
    expect(await page.content()).not.toContain(sim.credentials.apiToken);
    await screenshot(page, 'jira-test-connection-failed');

    // Fill the custom field, test again, save.
    await page.fill('#custom-fields tr[data-blank-row] input[name=customFieldName]', 'customfield_10010');
    await page.fill('#custom-fields tr[data-blank-row] input[name=customFieldValue]', '$platform');
    await page.fill('#secret', sim.credentials.apiToken);
    await page.click('#test-connection');
    expect(await page.locator('#connection-test li.bad').count()).toBe(0);
    expect(await checkDetail('requiredFields')).toMatch(/every required field/);
    await page.fill('#secret', sim.credentials.apiToken);
    await page.click('#connection-form button[value=save]');
    expect(await page.locator('.notice').innerText()).toMatch(/integration created/);
    const webhookSecret = await page.inputValue('#webhook-secret');
    const webhookUrl = await page.inputValue('#webhook-url');
    expect(webhookUrl).toMatch(/\/webhooks\/jira\/web$/);
    sim.registerWebhook({ url: `${app.url}/webhooks/jira/web`, secret: webhookSecret, style: 'hmac' });
    await screenshot(page, 'jira-connection');

    // Preview renders the saved subject for the sample group.
    await page.click('#preview button[type=submit]');
    expect(await page.locator('#preview-subject').innerText()).toBe("[1.4.2] TypeError: Cannot read properties of undefined (reading 'id')");

    // Behaviour tab: map "Done" as the primary resolved status and save.
    await page.click('nav.tabs >> text=Behaviour');
    await page.fill('#status-mapping tr[data-blank-row] input[name=statusJira]', 'Done');
    await page.selectOption('#status-mapping tr[data-blank-row] select[name=statusState]', 'resolved');
    await page.selectOption('#status-mapping tr[data-blank-row] select[name=statusPrimary]', 'yes');
    await page.click('#behaviour-form .buttons button[value=save]');
    expect(await page.locator('.notice').innerText()).toMatch(/saved/);
    expect(await page.inputValue('#status-mapping tbody tr:first-child input[name=statusJira]')).toBe('Done');
    await screenshot(page, 'jira-behaviour');

    // The error service posts a group; the groups page shows its ticket once Jira has it.
    await app
      .http()
      .post('/api/v1/projects/web/groups')
      .set('Authorization', `Bearer ${ingestToken}`)
      .send({ fingerprint: 'fp-browser-1', title: 'NullPointerException in Checkout.pay', count: 3, attributes: { version: { '2.0.1': 3 }, platform: { Linux: 3 } } })
      .expect(201);
    await page.click('header nav >> text=Groups');
    const group = page.locator('tr[data-fingerprint="fp-browser-1"]');
    const ticketKey = await eventually(async () => {
      await page.reload();
      return (await group.locator('.ticket-link').count()) ? group.locator('.ticket-link').innerText() : undefined;
    }, 30_000, 250);
    expect(ticketKey).toMatch(/^CHK-\d+$/);
    expect(sim.getIssue(ticketKey)!.fields.summary).toBe('[2.0.1] NullPointerException in Checkout.pay');
    await screenshot(page, 'groups');

    // Resolve it on its page: the Jira issue moves to Done.
    await group.locator('a.group-title').click();
    await page.locator('select[name=state]').selectOption('resolved');
    await page.locator('form.inline >> button:has-text("Save")').click();
    expect(await page.locator('.notice').innerText()).toMatch(/Group updated/);
    await eventually(async () => (sim.getIssue(ticketKey)!.fields.status as { name: string }).name === 'Done', 30_000, 100);
    expect(await page.locator('.detail-head .badge').innerText()).toBe('resolved');

    // The activity log shows the creation and the transition.
    await page.click('header nav >> text=Activity');
    await eventually(async () => {
      await page.reload();
      return (await page.locator('li.entry[data-kind="jira.transitioned"]').count()) > 0;
    }, 30_000, 250);
    expect(await page.locator('li.entry[data-kind="ticket.created"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'activity');
  });

  it('refuses a form POST without the CSRF token (403) and changes nothing', async () => {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(ui('/projects'), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'key=forged&name=Forged',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/security token/);
    await app.admin('get', '/api/v1/projects/forged').expect(404);
  });

  it('fits a phone screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.addCookies(await context.cookies());
    const p = await phone.newPage();
    for (const [path, name] of [['/projects', 'phone-projects'], ['/projects/web/groups', 'phone-groups'], ['/projects/web/jira', 'phone-jira']] as const) {
      await p.goto(ui(path));
      expect(p.url()).toContain(path);
      expect(await overflowsHorizontally(p)).toBe(false);
      await screenshot(p, name);
    }
    await phone.close();
  });
});
