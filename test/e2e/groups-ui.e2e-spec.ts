// The triage table and a group's page over HTTP: links that keep sort and filters, bad values shown on
// the page, the bulk form's redirect and summary, and pages that hold no inline style or script (CSP).
import { createProject, projectIdOf, startTestApp, TestApp } from '../support/test-app';
import { UiClient, signIn, uiGet, uiPost } from '../support/ui-session';

const decode = (html: string) => html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
const rowsOf = (html: string) => [...html.matchAll(/<tr data-fingerprint="([^"]+)"/g)].map((m) => m[1]);
const errorFor = (html: string, field: string) => html.match(new RegExp(`data-error-for="${field}">([^<]*)<`))?.[1];

describe('groups UI (HTTP)', () => {
  let app: TestApp;
  let ui: UiClient;
  let key: string;
  let path: string;

  beforeAll(async () => {
    app = await startTestApp();
    ui = await signIn(app);
    key = (await createProject(app)).key;
    path = `/ui/projects/${key}/groups`;
    const groups = Array.from({ length: 55 }, (_, i) => ({ fingerprint: `u-${String(i).padStart(2, '0')}`, title: `Crash ${i}`, count: 1 + i, attributes: { version: { [`1.${i % 3}`]: 2 } } }));
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups }).expect(200);
    await app.dataSource.query(`UPDATE error_groups SET state = 'muted' WHERE project_id = $1 AND fingerprint < 'u-04'`, [await projectIdOf(app, key)]);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('links sort headers and pages with the filters kept, and holds no inline style or script', async () => {
    const first = (await uiGet(app, ui, `${path}?state=open&sort=-count`).expect(200)).text;
    expect(rowsOf(first)).toHaveLength(50);
    expect(rowsOf(first)[0]).toBe('u-54');
    const html = decode(first);
    // The current sort's header flips its direction; the other one starts descending.
    expect(html).toContain(`href="${path}?sort=count&state=open" data-sort="count"`);
    expect(html).toContain(`href="${path}?state=open" data-sort="lastSeen"`);
    const next = html.match(/href="([^"]+)" rel="next"/)![1];
    expect(next).toMatch(/sort=-count&state=open&cursor=/);
    const second = (await uiGet(app, ui, next).expect(200)).text;
    expect(rowsOf(second)).toEqual(['u-04']);
    expect(decode(second)).toContain(`href="${path}?sort=-count&state=open">← First page`);
    expect(first).toContain(`href="${path}/u-54"`);
    for (const page of [first, (await uiGet(app, ui, `${path}/u-54`).expect(200)).text]) {
      expect(page).not.toMatch(/\sstyle=/i);
      expect(page).not.toMatch(/<script(?![^>]*\ssrc=)/i);
      expect(page).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it('shows an unknown sort or filter, or a cursor of another sort, next to the form instead of failing', async () => {
    const bad = (await uiGet(app, ui, `${path}?sort=title&state=open`).expect(200)).text;
    expect(errorFor(bad, 'sort')).toMatch(/sort must be one of -lastSeen, lastSeen, -count, count/);
    // The good filter still applies.
    expect(rowsOf(bad)).not.toContain('u-00');
    const state = (await uiGet(app, ui, `${path}?state=exploded`).expect(200)).text;
    expect(errorFor(state, 'state')).toMatch(/state must be one of/);
    const countPage = decode((await uiGet(app, ui, `${path}?sort=count`).expect(200)).text);
    const cursor = countPage.match(/cursor=([^"&]+)/)![1];
    const mixed = (await uiGet(app, ui, `${path}?sort=-lastSeen&cursor=${cursor}`).expect(200)).text;
    expect(decode(errorFor(mixed, 'cursor')!)).toMatch(/cursor belongs to sort=count/);
    expect(rowsOf(mixed)).toHaveLength(50);
  });

  it('applies a bulk action and redirects back with a summary; refuses an empty selection on the page', async () => {
    const back = `${path}?state=muted&sort=count`;
    const res = await uiPost(app, ui, path, { fingerprints: ['u-00', 'u-gone'], action: 'setState', state: 'resolved', assignee: 'ignored', back }).expect(303);
    expect(res.headers.location).toBe(`${back}&done=bulk&ok=1&failed=1&why=GROUP_NOT_FOUND`);
    const page = (await uiGet(app, ui, res.headers.location).expect(200)).text;
    expect(page).toMatch(/1 group done\. 1 failed\. No group with this fingerprint in the project\./);
    expect(rowsOf(page)).toEqual(['u-01', 'u-02', 'u-03']);
    expect((await app.admin('get', `/api/v1/projects/${key}/groups/u-00`).expect(200)).body.state).toBe('resolved');

    await uiPost(app, ui, path, { fingerprints: ['u-01', 'u-02'], action: 'setAssignee', assignee: 'kim@example.com', state: 'open', back }).expect(303);
    await uiPost(app, ui, path, { fingerprints: 'u-02', action: 'setAssignee', assignee: '', back }).expect(303);
    const assigned = (await uiGet(app, ui, `${path}?assignee=kim%40example.com`).expect(200)).text;
    expect(rowsOf(assigned)).toEqual(['u-01']);
    expect(rowsOf((await uiGet(app, ui, `${path}?state=muted&assignee=unassigned`).expect(200)).text)).toEqual(['u-03', 'u-02']);

    const none = await uiPost(app, ui, path, { action: 'setState', state: 'open', back }).expect(400);
    expect(errorFor(none.text, 'bulk')).toBe('Select at least one group.');
    const badState = await uiPost(app, ui, path, { fingerprints: 'u-01', action: 'setState', state: 'gone', back }).expect(400);
    expect(errorFor(badState.text, 'bulk')).toMatch(/state must be one of/);
    // No ticket without Jira: each group's result, not a failed page.
    const tickets = await uiPost(app, ui, path, { fingerprints: ['u-01', 'u-03'], action: 'createTickets', back }).expect(303);
    expect(tickets.headers.location).toMatch(/ok=0&failed=2&why=INTEGRATION_NOT_CONFIGURED/);
  });

  it("shows a group's page with its occurrences by hour (or says there are none), and answers 404 for a missing group", async () => {
    const page = (await uiGet(app, ui, `${path}/u-07`).expect(200)).text;
    expect(page).toMatch(/<h1 class="group-title">Crash 7<\/h1>/);
    expect(page).toMatch(/<svg class="sparkline"[^>]*aria-label="8 occurrences by hour, at most 8 in an hour"/);
    expect(page).toMatch(/8 in these 7 days · busiest hour 8/);
    expect(page).toMatch(/hourly counts are kept for 30 days, and this chart shows the last 7/);
    await app.dataSource.query(
      `DELETE FROM group_hourly_counts WHERE group_id = (SELECT id FROM error_groups WHERE project_id = $1 AND fingerprint = 'u-08')`,
      [await projectIdOf(app, key)],
    );
    expect((await uiGet(app, ui, `${path}/u-08`).expect(200)).text).toMatch(/No occurrences of this group in the last 7 days/);
    expect(page).toMatch(/data-attribute="version"/);
    expect(page).toMatch(/<rect x="0" y="0" width="100" height="10">/);
    await uiPost(app, ui, `${path}/u-07`, { state: 'in-progress', assignee: 'lee@example.com' }).expect(303).expect('Location', `${path}/u-07?done=updated`);
    expect((await uiGet(app, ui, `${path}/u-07?done=updated`).expect(200)).text).toMatch(/Group updated\./);
    const missing = await uiGet(app, ui, `${path}/no-such-group`).expect(404);
    expect(missing.text).toMatch(/group &#x27;no-such-group&#x27; not found/);
  });
});
