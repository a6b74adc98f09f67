// JiraClient.bulkCreateIssues against the simulator's POST issue/bulk: limits, partial failures, lost answers.
import { JiraSimulator } from '../../../jira-sim';
import { client as rest } from '../../jira-sim/sim-client';
import { JiraClient, JiraError } from '@app/modules/jira/client';

const bug = (summary: string, extra: Record<string, unknown> = {}) => ({ fields: { project: { key: 'CHK' }, issuetype: { id: '10004' }, summary, ...extra } });

describe('bulk create (POST issue/bulk)', () => {
  let sim: JiraSimulator;
  let jira: JiraClient;
  beforeAll(async () => {
    sim = await JiraSimulator.start({ flavour: 'cloud' });
    jira = new JiraClient({ apiUrl: sim.apiUrl, auth: { type: 'basic', email: sim.credentials.email, apiToken: sim.credentials.apiToken } }, { retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.faults.reset());

  it('the simulator answers as Jira: 201 with issues in element order and per-element errors naming failedElementNumber', async () => {
    const call = rest(sim);
    const res = await call('POST', 'issue/bulk', { issueUpdates: [bug('one'), { fields: { project: { key: 'CHK' }, issuetype: { id: '10004' } } }, bug('three')] });
    expect(res.status).toBe(201);
    expect(res.body.issues.map((i: { key: string }) => sim.getIssue(i.key)!.fields.summary)).toEqual(['one', 'three']);
    expect(res.body.errors).toEqual([{ status: 400, failedElementNumber: 1, elementErrors: { errorMessages: [], errors: { summary: expect.any(String) } } }]);
    const none = await call('POST', 'issue/bulk', { issueUpdates: [{ fields: { project: { key: 'CHK' } } }] });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].failedElementNumber).toBe(0);
    const tooMany = await call('POST', 'issue/bulk', { issueUpdates: Array.from({ length: 51 }, (_, i) => bug(`n${i}`)) });
    expect(tooMany.status).toBe(400);
    expect((await call('POST', 'issue/bulk', { fields: {} })).status).toBe(400);
  });

  it('the client maps each element to created or refused, in the order sent', async () => {
    const outcomes = await jira.bulkCreateIssues([bug('a'), { fields: { project: { key: 'CHK' }, issuetype: { id: '10004' } } }, bug('c')]);
    expect(outcomes.map((o) => ('created' in o ? sim.getIssue(o.created.key)!.fields.summary : 'refused'))).toEqual(['a', 'refused', 'c']);
    expect((outcomes[1] as { refused: string }).refused).toContain('summary');
    const all = await jira.bulkCreateIssues([{ fields: { project: { key: 'CHK' } } }]);
    expect('refused' in all[0]).toBe(true);
    await expect(jira.bulkCreateIssues(Array.from({ length: 51 }, (_, i) => bug(`n${i}`)))).rejects.toThrow(RangeError);
  });

  it('a lost answer is unknown_outcome, never retried (the issues exist), and the create limit answers 429 with Retry-After', async () => {
    const before = sim.listIssues().length;
    sim.faults.dropCreateResponses(1);
    const lost = await jira.bulkCreateIssues([bug('x1'), bug('x2')]).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(JiraError);
    expect((lost as JiraError).kind).toBe('unknown_outcome');
    expect(sim.listIssues().length - before).toBe(2);
    sim.faults.rateLimitPerSecond(1, 1);
    const call = rest(sim);
    expect((await call('POST', 'issue/bulk', { issueUpdates: [bug('y1')] })).status).toBe(201);
    const limited = await call('POST', 'issue/bulk', { issueUpdates: [bug('y2')] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
  });
});
