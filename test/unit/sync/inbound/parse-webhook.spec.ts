// Jira webhook bodies (Cloud and Data Center) → JiraChange: saved fixtures in documented shapes,
// bad payloads, and the events our Jira simulator produces for both flavours.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JiraIssue } from '@app/modules/jira/client/jira-types';
import type { JiraUserRef } from '@app/modules/jira/client/jira-types';
import type { JiraChange } from '@app/modules/sync/inbound/jira-change';
import { changeFromIssue, parseJiraDate } from '@app/modules/sync/inbound/parse-issue';
import { parseJiraWebhook } from '@app/modules/sync/inbound/parse-webhook';
import { JiraSimulator } from '../../../jira-sim';
import { hasFastProperties } from '../../../support/fast-properties';

const FIXTURES = join(__dirname, '../../../fixtures/jira-webhooks');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

function parsed(body: unknown): JiraChange {
  const r = parseJiraWebhook(body);
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r.change;
}
function rejected(body: unknown): string {
  const r = parseJiraWebhook(body);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.change)}`);
  return r.reason;
}

// ---- fixture users (as userRefOf keeps them) ----------------------------------------------------
const BOT: JiraUserRef = { accountId: '5b10ac8d82e05b22cc7d4e00', displayName: 'Crashbridge Bot', emailAddress: 'bot@acme.com' };
const ADMIN: JiraUserRef = { accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', displayName: 'Dana Admin', emailAddress: 'dana@acme.com' };
const ALICE: JiraUserRef = { accountId: '712020:3f1c9a52-8e0b-4c1e-9a3d-5c2f7b8e9d10', displayName: 'Alice Ng', emailAddress: 'alice@acme.com' };
const BOB: JiraUserRef = { accountId: '712020:9b2e4d61-0c7a-4f3e-8d15-2a6b9c0e7f44', displayName: 'Bob Martin' }; // email hidden
const JDOE: JiraUserRef = { name: 'jdoe', key: 'JIRAUSER10103', displayName: 'John Doe', emailAddress: 'john.doe@acme.com' };
const MKOW: JiraUserRef = { name: 'mkowalski', key: 'JIRAUSER10104', displayName: 'Marta Kowalski', emailAddress: 'marta.kowalski@acme.com' };

const TODO = { name: 'To Do', id: '10000', category: 'new' };
const DONE = { name: 'Done', id: '10001', category: 'done' };
const CLOUD = { issueId: '10034', issueKey: 'CHK-12', jiraProjectKey: 'CHK' };
const DC = { issueId: '20117', issueKey: 'CRASH-41', jiraProjectKey: 'CRASH' };
const DC_IN_PROGRESS = { name: 'In Progress', id: '3', category: 'indeterminate' };
const DC_RESOLVED = { name: 'Resolved', id: '5', category: 'done' };

const EXPECTED: Record<string, JiraChange> = {
  'cloud-issue-created.json': {
    kind: 'created', ...CLOUD, timestamp: 1795600800000, status: TODO, assignee: null, fixVersions: [], changedFields: [], actor: BOT,
  },
  'cloud-issue-updated-status.json': {
    kind: 'updated', ...CLOUD, timestamp: 1795601100000, status: DONE, assignee: null, fixVersions: [], changedFields: ['resolution', 'status'], actor: ALICE,
  },
  'cloud-issue-assigned.json': {
    kind: 'updated', ...CLOUD, timestamp: 1795601400000, status: TODO, assignee: BOB, fixVersions: [], changedFields: ['assignee'], actor: ADMIN,
  },
  'cloud-issue-unassigned.json': {
    kind: 'updated', ...CLOUD, timestamp: 1795601520000, status: TODO, assignee: null, fixVersions: [], changedFields: ['assignee'], actor: ADMIN,
  },
  'cloud-fix-version-added-while-done.json': {
    kind: 'updated', ...CLOUD, timestamp: 1795601700000, status: DONE, assignee: null,
    fixVersions: ['2.4.1', 'Release 2.5.0'], changedFields: ['fixVersions'], actor: ALICE,
  },
  'cloud-issue-deleted.json': {
    kind: 'deleted', ...CLOUD, timestamp: 1795602000000, status: DONE, assignee: null, fixVersions: ['2.4.1'], changedFields: [], actor: ADMIN,
  },
  'cloud-comment-created.json': {
    // no fixVersions in a comment event's issue fields; project key from the issue key; actor = comment author
    kind: 'comment', ...CLOUD, timestamp: 1795602300000, status: DONE, assignee: BOB, changedFields: [], actor: ALICE,
    comment: { id: '10200', body: 'Fixed in 2.4.1, see PR #88.', author: ALICE, created: 1795602300000, updated: 1795602300000 },
  },
  'cloud-comment-created-minimal.json': {
    kind: 'comment', ...CLOUD, timestamp: 1795602360000, changedFields: [],
    actor: { accountId: BOB.accountId, displayName: 'Bob Martin' },
    comment: {
      id: '10201', body: 'Still crashing on 2.4.1.\nLog attached.', author: { accountId: BOB.accountId, displayName: 'Bob Martin' }, created: 1795602360000, updated: 1795602360000,
    },
  },
  'cloud-comment-updated-adf.json': {
    kind: 'comment', ...CLOUD, timestamp: 1795602420000, changedFields: [],
    actor: { accountId: BOB.accountId, displayName: 'Bob Martin' },
    comment: {
      id: '10202',
      body: 'Regression: crashes from version 2.5.0 arrived.\nView the group\n@Alice Ng please look\nNullPointerException at Checkout.kt:42\ncrashbridge-regression-3f2a9c1e-2',
      author: { accountId: BOB.accountId, displayName: 'Bob Martin' },
      created: 1795601160000,
      updated: 1795601220000,
    },
  },
  'cloud-comment-deleted.json': {
    // only the comment's id: the event timestamp orders the delete
    kind: 'comment', ...CLOUD, timestamp: 1795602540000, changedFields: [], comment: { id: '10202', body: '', deleted: true },
  },
  'cloud-issue-moved.json': {
    kind: 'updated', issueId: '10034', issueKey: 'OPS-3', jiraProjectKey: 'OPS', timestamp: 1795602600000, status: TODO, assignee: null,
    fixVersions: [], changedFields: ['project', 'Workflow', 'key'], actor: ADMIN, previousKey: 'CHK-12',
  },
  'dc-issue-updated-status.json': {
    kind: 'updated', ...DC, timestamp: 1795602900000, status: DC_IN_PROGRESS, assignee: null, fixVersions: [], changedFields: ['status'], actor: JDOE,
  },
  'dc-issue-assigned.json': {
    kind: 'updated', ...DC, timestamp: 1795603200000, status: DC_IN_PROGRESS, assignee: MKOW, fixVersions: [], changedFields: ['assignee'], actor: JDOE,
  },
  'dc-fix-version-resolved.json': {
    kind: 'updated', ...DC, timestamp: 1795603500000, status: DC_RESOLVED, assignee: MKOW, fixVersions: ['5.1.3'],
    changedFields: ['resolution', 'fixVersions', 'status'], actor: MKOW,
  },
  'dc-comment-created-no-issue.json': {
    // no issue object: the id comes from comment.self, the key and project are unknown
    kind: 'comment', issueId: '20117', timestamp: 1795604100000, changedFields: [], actor: MKOW,
    comment: { id: '40013', body: 'Still seen on 5.1.3: see the attached log.', author: MKOW, created: 1795604100000, updated: 1795604100000 },
  },
  'dc-comment-updated-no-issue.json': {
    kind: 'comment', issueId: '20117', timestamp: 1795604400000, changedFields: [], actor: JDOE,
    comment: { id: '40013', body: 'Still seen on 5.1.3 and 5.1.4: see the attached log.', author: MKOW, created: 1795604100000, updated: 1795604400000 },
  },
  'dc-issue-commented.json': {
    kind: 'updated', ...DC, timestamp: 1795603800000, status: DC_RESOLVED, assignee: MKOW, fixVersions: ['5.1.3'], changedFields: [], actor: MKOW,
    comment: { id: '40012', body: 'Verified on 5.1.3 nightly.', author: MKOW, created: 1795603800000, updated: 1795603800000 },
  },
};

describe('parseJiraWebhook: documented payload shapes (fixtures)', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();

  it('has a fixture for every expectation and an expectation for every fixture, each citing its source', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(files.filter((f) => f.startsWith('cloud-')).length).toBeGreaterThanOrEqual(7);
    expect(files.filter((f) => f.startsWith('dc-')).length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(Object.keys(fixture(f))[0]).toBe('_source');
  });

  it.each(Object.keys(EXPECTED))('%s', (name) => {
    expect(parsed(fixture(name))).toStrictEqual(EXPECTED[name]);
  });
});

describe('parseJiraWebhook: edge cases and bad payloads', () => {
  const base = () => ({
    timestamp: 1795600800000,
    webhookEvent: 'jira:issue_updated',
    issue: { id: '10034', key: 'CHK-12', fields: { updated: '2026-11-25T09:00:00.000+0000' } },
  });

  it.each([null, undefined, 'a string', 42, [], [{ webhookEvent: 'jira:issue_updated' }]])('rejects a body that is not an object: %p', (body) => {
    expect(rejected(body)).toBe('payload is not a JSON object');
  });

  it('gives changes, and their comments, fast properties: no key is deleted from them (a deleted key makes a slow dictionary)', () => {
    const change = parsed(fixture('cloud-issue-updated-status.json'));
    expect(Object.values(change)).not.toContain(undefined);
    expect(hasFastProperties(change)).toBe(true);
    const commented = parsed({ ...base(), webhookEvent: 'comment_created', comment: { id: '10100', body: 'hi' } });
    expect(commented.comment).toEqual({ id: '10100', body: 'hi' });
    expect(hasFastProperties(commented.comment!)).toBe(true);
  });

  it('rejects a payload without webhookEvent', () => {
    expect(rejected({ timestamp: 1, issue: { id: '1', key: 'A-1' } })).toBe('payload has no webhookEvent');
  });

  it.each(['worklog_created', 'jira:version_released', 'issue_property_set'])('rejects unsupported event %s', (event) => {
    expect(rejected({ ...base(), webhookEvent: event })).toBe(`unsupported event type '${event}'`);
  });

  it('rejects issue events without an issue', () => {
    const { issue: _drop, ...noIssue } = base();
    expect(rejected(noIssue)).toBe('payload has no issue');
    expect(rejected({ ...base(), issue: null })).toBe('payload has no issue');
    expect(rejected({ ...base(), issue: 'CHK-12' })).toBe('payload has no issue');
  });

  it('reads the issue id of a Data Center comment event without an issue from comment.self', () => {
    expect(
      parsed({ timestamp: 1512034084304, webhookEvent: 'comment_created', comment: { id: '31039', body: '12345', self: 'https://jira.example/rest/api/2/issue/26313/comment/31039' } }),
    ).toStrictEqual({ kind: 'comment', issueId: '26313', timestamp: 1512034084304, changedFields: [], comment: { id: '31039', body: '12345' } });
  });

  it('rejects an issue without id or key', () => {
    expect(rejected({ ...base(), issue: { key: 'CHK-12' } })).toBe('payload has no issue id or key');
    expect(rejected({ ...base(), issue: { id: '10034' } })).toBe('payload has no issue id or key');
    expect(rejected({ ...base(), issue: { id: '10034', key: '  ' } })).toBe('payload has no issue id or key');
  });

  // 8.64e15 is the last instant a Date holds, but PostgreSQL refuses its text (+275760-09-13…); found by the fuzz suite.
  it.each([['yesterday'], [-5], [0], [null], [{}], ['12abc'], [8.64e15], [Date.UTC(10000, 0, 1)], ['253402300800000']])('rejects a bad timestamp %p when the issue has no updated date', (ts) => {
    expect(rejected({ ...base(), timestamp: ts, issue: { id: '10034', key: 'CHK-12' } })).toMatch(/^payload has no usable timestamp/);
  });

  it('rejects a payload with no timestamp at all, naming it', () => {
    const { timestamp: _drop, ...rest } = base();
    expect(rejected({ ...rest, issue: { id: '1', key: 'A-1' } })).toBe('payload has no usable timestamp (timestamp: absent)');
  });

  it('accepts the last instant of year 9999, which the database still stores', () => {
    expect(parsed({ ...base(), timestamp: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }).timestamp).toBe(253402300799999);
  });

  it('takes issue.fields.updated only while its offset keeps it within year 9999', () => {
    const withUpdated = (updated: string) => ({ ...base(), timestamp: undefined, issue: { id: '1', key: 'A-1', fields: { updated } } });
    expect(rejected(withUpdated('9999-12-31T23:00:00.000-0500'))).toMatch(/^payload has no usable timestamp/);
    expect(parsed(withUpdated('9999-12-31T23:00:00.000+0500')).timestamp).toBe(Date.parse('9999-12-31T18:00:00.000Z'));
  });

  it('accepts a numeric-string timestamp and a numeric issue id', () => {
    const c = parsed({ ...base(), timestamp: '1795600800000', issue: { id: 10034, key: 'CHK-12' } });
    expect(c).toMatchObject({ issueId: '10034', timestamp: 1795600800000 });
  });

  it('falls back to issue.fields.updated when the timestamp is unusable', () => {
    expect(parsed({ ...base(), timestamp: 'not a number' }).timestamp).toBe(Date.parse('2026-11-25T09:00:00.000Z'));
    const { timestamp: _drop, ...rest } = base();
    expect(parsed(rest).timestamp).toBe(Date.parse('2026-11-25T09:00:00.000Z'));
  });

  it('falls back to the comment dates for a comment event without timestamp or issue fields', () => {
    const c = parsed({
      webhookEvent: 'comment_updated',
      issue: { id: '10034', key: 'CHK-12' },
      comment: { id: 7, body: 'edited', author: { accountId: 'a1' }, updateAuthor: { accountId: 'a2' }, updated: '2026-11-25T12:00:00.000+0100' },
    });
    expect(c).toStrictEqual({
      kind: 'comment', issueId: '10034', issueKey: 'CHK-12', jiraProjectKey: 'CHK', timestamp: Date.parse('2026-11-25T11:00:00.000Z'),
      changedFields: [], actor: { accountId: 'a2' }, comment: { id: '7', body: 'edited', author: { accountId: 'a1' }, updated: Date.parse('2026-11-25T11:00:00.000Z') },
    });
  });

  it('rejects a comment event without a comment id', () => {
    expect(rejected({ ...base(), webhookEvent: 'comment_created' })).toBe("'comment_created' payload has no comment with an id");
    expect(rejected({ ...base(), webhookEvent: 'comment_created', comment: { body: 'x' } })).toBe("'comment_created' payload has no comment with an id");
  });

  it('tells an absent assignee (unknown) from a null one (unassigned), and ignores junk', () => {
    const withFields = (fields: Record<string, unknown>) => parsed({ ...base(), issue: { id: '1', key: 'A-1', fields } });
    expect(withFields({}).assignee).toBeUndefined();
    expect('assignee' in withFields({})).toBe(false);
    expect(withFields({ assignee: null }).assignee).toBeNull();
    expect(withFields({ assignee: 'None' }).assignee).toBeUndefined(); // Port's sample renders nulls as "None"
    expect(withFields({ status: 'None', fixVersions: 'None' })).not.toHaveProperty('status');
  });

  it('decodes a URL-encoded accountId (as in Port\'s sample)', () => {
    const c = parsed({ ...base(), user: { accountId: '557058%3A69f39959-769f-4dac-8a7a-46eb55b03723', displayName: 'Your Name' } });
    expect(c.actor).toEqual({ accountId: '557058:69f39959-769f-4dac-8a7a-46eb55b03723', displayName: 'Your Name' });
  });

  it('normalises changelog fields by fieldId, else by name case-insensitively, once each', () => {
    // typed loosely: a literal `toString` key would otherwise clash with Object.prototype.toString in inference
    const items: unknown[] = [
      { field: 'Fix Version', fieldtype: 'jira', fieldId: 'fixVersions', from: null, to: '1', toString: '2.4.1' },
      { field: 'FIX VERSION', fieldtype: 'jira', from: '2', fromString: '2.3.9', to: null },
      { field: 'Status', fieldtype: 'jira', from: '1', to: '3' },
      { field: 'Key', fieldtype: 'jira', fieldId: 'issuekey', fromString: 'CHK-1', toString: 'OPS-1' },
      { field: 'Platform', fieldtype: 'custom', fieldId: 'customfield_10010' },
      { field: 'Sprint', fieldtype: 'custom' },
      { field: 'assignee', fieldtype: 'jira' },
      'junk',
      { fieldtype: 'jira' },
    ];
    const c = parsed({ ...base(), issue: { id: '1', key: 'OPS-1' }, changelog: { id: 1, items } });
    expect(c.changedFields).toEqual(['fixVersions', 'status', 'key', 'customfield_10010', 'Sprint', 'assignee']);
    expect(c.previousKey).toBe('CHK-1');
  });

  it('ignores a missing or malformed changelog', () => {
    expect(parsed({ ...base(), changelog: null }).changedFields).toEqual([]);
    expect(parsed({ ...base(), changelog: { items: 'x' } }).changedFields).toEqual([]);
  });

  it('reads the project key from fields.project, else from the issue key', () => {
    expect(parsed({ ...base(), issue: { id: '1', key: 'MY-PROJ-9' } }).jiraProjectKey).toBe('MY-PROJ');
    expect(parsed({ ...base(), issue: { id: '1', key: 'OPS-9', fields: { project: { key: 'OPS' } } } }).jiraProjectKey).toBe('OPS');
  });
});

describe('parseJiraDate', () => {
  it.each([
    ['2026-11-25T10:00:00.000+0000', 1795600800000],
    ['2026-11-25T11:00:00.000+0100', 1795600800000],
    ['2026-11-25T05:30:00.000-0430', 1795600800000],
    ['2026-11-25T10:00:00.000+00:00', 1795600800000],
    ['2026-11-25T10:00:00Z', 1795600800000],
    ['2026-11-25T10:00:00.1234+0000', 1795600800123],
    ['2026-11-25T10:00', 1795600800000],
  ])('%s', (s, ms) => expect(parseJiraDate(s)).toBe(ms));

  it.each([['garbage'], [''], ['2026-13-45T99:00:00.000+0000'], [1795600800000], [null]])('rejects %p', (v) => {
    expect(parseJiraDate(v)).toBeUndefined();
  });
});

describe('changeFromIssue (reconciliation)', () => {
  const issue = (fields: Record<string, unknown>): JiraIssue => ({ id: '10034', key: 'CHK-12', fields });

  it('builds an updated change from the issue fields', () => {
    const c = changeFromIssue(
      issue({
        updated: '2026-11-25T11:00:00.000+0100',
        project: { id: '10000', key: 'CHK' },
        status: { id: '10001', name: 'Done', statusCategory: { id: 3, key: 'done' } },
        assignee: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Alice', emailAddress: 'alice@acme.com', active: true },
        fixVersions: [{ id: '10102', name: '2.4.1' }],
      }),
    );
    expect(c).toStrictEqual({
      kind: 'updated', issueId: '10034', issueKey: 'CHK-12', jiraProjectKey: 'CHK', timestamp: 1795600800000,
      status: { name: 'Done', id: '10001', category: 'done' },
      assignee: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Alice', emailAddress: 'alice@acme.com' },
      fixVersions: ['2.4.1'], changedFields: ['status', 'assignee', 'fixVersions'],
    });
  });

  it('keeps null (unassigned) apart from a field that was not read', () => {
    expect(changeFromIssue(issue({ updated: '2026-11-25T10:00:00.000+0000', assignee: null })).assignee).toBeNull();
    expect(changeFromIssue(issue({ updated: '2026-11-25T10:00:00.000+0000' }))).not.toHaveProperty('assignee');
  });

  it('throws when fields.updated is missing or unparseable (the change could not be ordered)', () => {
    expect(() => changeFromIssue(issue({}))).toThrow(/CHK-12 has no parseable fields.updated/);
    expect(() => changeFromIssue(issue({ updated: 'soon' }))).toThrow(/fields.updated/);
  });
});

// ---- the simulator's own payloads --------------------------------------------------------------
describe.each(['cloud', 'datacenter'] as const)('events produced by the Jira simulator (%s)', (flavour) => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await JiraSimulator.start({ flavour });
  });
  afterAll(async () => {
    await sim.stop();
  });

  const cloud = flavour === 'cloud';
  // The simulator's default users (test/jira-sim/data.ts) as each flavour renders them.
  const user = (accountId: string, name: string, key: string, displayName: string, email: string): JiraUserRef =>
    cloud ? { accountId, displayName, emailAddress: email } : { name, key, displayName, emailAddress: email };
  const simBot = user('5b10ac8d82e05b22cc7d4e00', 'bot', 'JIRAUSER10000', 'Crashbridge Bot', 'bot@acme.com');
  const simAdmin = user('5b10ac8d82e05b22cc7d4e01', 'admin', 'JIRAUSER10001', 'Jira Admin', 'admin@acme.com');
  const simAlice = user('5b10ac8d82e05b22cc7d4ef5', 'alice', 'JIRAUSER10101', 'Alice', 'alice@acme.com');

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
  async function rest(method: string, path: string, body?: unknown): Promise<any> {
    const c = sim.credentials;
    const auth = 'Basic ' + Buffer.from(`${cloud ? c.email : c.username}:${c.apiToken}`).toString('base64');
    const res = await fetch(sim.apiUrl + path, {
      method,
      headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return res.json();
  }

  it('parses every event of an issue\'s life: create, transitions, assign, fix versions, comment, move, delete', async () => {
    sim.webhookMode = 'manual';
    const { id, key } = await rest('POST', 'issue', { fields: { project: { key: 'CHK' }, issuetype: { name: 'Bug' }, summary: 'SIGSEGV in parse_header' } });
    sim.transition(key, 'In Progress');
    sim.assign(key, cloud ? '5b10ac8d82e05b22cc7d4ef5' : 'alice');
    sim.transition(key, 'Done', { fixVersions: ['2.4.1'] });
    sim.setFixVersions(key, ['2.4.1', '2.5.0']);
    sim.addComment(key, 'looks fixed');
    sim.assign(key, null);
    sim.moveIssue(key, 'OPS-7');
    sim.deleteIssue('OPS-7');

    const events = sim.pendingWebhooks;
    const changes = events.map((e) => parsed(e.body));
    const at = (i: number) => ({ issueId: id, timestamp: events[i].timestamp });
    const chk = { issueKey: key, jiraProjectKey: 'CHK' };
    const inProgress = { name: 'In Progress', id: '3', category: 'indeterminate' };
    const done = { name: 'Done', id: '10001', category: 'done' };

    expect(changes).toStrictEqual([
      { kind: 'created', ...at(0), ...chk, status: { name: 'To Do', id: '1', category: 'new' }, assignee: null, fixVersions: [], changedFields: [], actor: simBot },
      { kind: 'updated', ...at(1), ...chk, status: inProgress, assignee: null, fixVersions: [], changedFields: ['status'], actor: simAdmin },
      { kind: 'updated', ...at(2), ...chk, status: inProgress, assignee: simAlice, fixVersions: [], changedFields: ['assignee'], actor: simAdmin },
      {
        kind: 'updated', ...at(3), ...chk, status: done, assignee: simAlice, fixVersions: ['2.4.1'],
        changedFields: ['status', 'resolution', 'fixVersions'], actor: simAdmin,
      },
      { kind: 'updated', ...at(4), ...chk, status: done, assignee: simAlice, fixVersions: ['2.4.1', '2.5.0'], changedFields: ['fixVersions'], actor: simAdmin },
      {
        // the simulator's comment event has no `user`: the actor is the comment's author
        kind: 'comment', ...at(5), ...chk, status: done, assignee: simAlice, changedFields: [], actor: simAdmin,
        comment: { id: expect.any(String), body: 'looks fixed', author: simAdmin, created: expect.any(Number), updated: expect.any(Number) },
      },
      { kind: 'updated', ...at(6), ...chk, status: done, assignee: null, fixVersions: ['2.4.1', '2.5.0'], changedFields: ['assignee'], actor: simAdmin },
      {
        kind: 'updated', ...at(7), issueKey: 'OPS-7', jiraProjectKey: 'OPS', status: done, assignee: null, fixVersions: ['2.4.1', '2.5.0'],
        changedFields: ['key', 'project'], actor: simAdmin, previousKey: key,
      },
      { kind: 'deleted', ...at(8), issueKey: 'OPS-7', jiraProjectKey: 'OPS', status: done, assignee: null, fixVersions: ['2.4.1', '2.5.0'], changedFields: [], actor: simAdmin },
    ]);
    // Data Center sends no fieldId: the same names must come out of the `field` names alone.
    const items = (events[3].body.changelog as { items: Array<Record<string, unknown>> }).items;
    expect(items.every((i) => ('fieldId' in i) === cloud)).toBe(true);
    sim.pendingWebhooks.length = 0;
  });

  it('changeFromIssue reads the simulator\'s GET /issue answer like the webhook would', async () => {
    sim.webhookMode = 'manual';
    const { key } = await rest('POST', 'issue', { fields: { project: { key: 'CHK' }, issuetype: { name: 'Bug' }, summary: 'resync me' } });
    sim.assign(key, cloud ? '5b10ac8d82e05b22cc7d4ef5' : 'alice');
    sim.transition(key, 'Done', { fixVersions: ['2.4.1'] });
    const fromWebhook = parsed(sim.pendingWebhooks[sim.pendingWebhooks.length - 1].body);
    const fromIssue = changeFromIssue(await rest('GET', `issue/${key}?fields=status,assignee,fixVersions,updated,project`));
    expect(fromIssue).toStrictEqual({
      kind: 'updated', issueId: fromWebhook.issueId, issueKey: key, jiraProjectKey: 'CHK', timestamp: sim.getIssue(key)!.updatedAt,
      status: fromWebhook.status, assignee: simAlice, fixVersions: ['2.4.1'], changedFields: ['status', 'assignee', 'fixVersions'],
    });
    // jiraDate has ms precision, so the resync timestamp equals the webhook's for the same change
    expect(fromIssue.timestamp).toBe(fromWebhook.timestamp);
    sim.pendingWebhooks.length = 0;
  });
});
