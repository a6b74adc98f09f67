import { JiraClient, JiraTransition } from '@app/modules/jira/client';
import { StatusMappingEntry } from '@app/modules/jira-settings/jira-settings';
import { TransitionWalker } from '@app/modules/sync/workflow/transition-walker';

type Status = { name: string; category: 'new' | 'indeterminate' | 'done' };
const S: Record<string, Status> = {
  open: { name: 'Open', category: 'new' },
  reopened: { name: 'Reopened', category: 'new' },
  progress: { name: 'In Progress', category: 'indeterminate' },
  resolved: { name: 'Resolved', category: 'done' },
  closed: { name: 'Closed', category: 'done' },
};
// Data Center's default workflow: no Resolved/Closed → In Progress.
const MOVES: Record<string, Array<[string, string]>> = {
  Open: [['4', 'progress'], ['5', 'resolved'], ['2', 'closed']],
  Reopened: [['4', 'progress'], ['5', 'resolved'], ['2', 'closed']],
  'In Progress': [['301', 'open'], ['5', 'resolved'], ['2', 'closed']],
  Resolved: [['701', 'closed'], ['3', 'reopened']],
  Closed: [['3', 'reopened']],
};
const MAPPING: StatusMappingEntry[] = [
  { jiraStatus: 'Open', state: 'open', primary: true },
  { jiraStatus: 'In Progress', state: 'in-progress', primary: true },
  { jiraStatus: 'Resolved', state: 'resolved', primary: true },
];

/** A Jira issue in that workflow; `movedBy` changes its status once, right after it is first read. */
function fakeJira(start: Status, movedBy?: Status) {
  let status = start;
  let reads = 0;
  const made: string[] = [];
  const transitions = (): JiraTransition[] =>
    MOVES[status.name].map(([id, to]) => ({ id, name: `to ${S[to].name}`, to: { name: S[to].name, statusCategory: { key: S[to].category } } }) as JiraTransition);
  const client = {
    getIssue: async () => ({ key: 'CHK-1', fields: { status: { name: status.name, statusCategory: { key: status.category } }, updated: '2026-12-06T10:00:00.000+0000' } }),
    getTransitions: async () => {
      if (movedBy && reads++ === 0) status = movedBy; // someone moves it between our read and the list
      return transitions();
    },
    transitionIssue: async (_key: string, id: string) => {
      made.push(id);
      const to = MOVES[status.name].find(([t]) => t === id)![1];
      status = S[to];
    },
  } as unknown as JiraClient;
  return { client, made, status: () => status };
}

const walker = new TransitionWalker({ manager: {} } as never, { record: async () => undefined } as never);
const walk = (client: JiraClient, from: Status, state: 'open' | 'in-progress' | 'resolved') =>
  walker.walk({ client, integration: `p-${Math.random()}`, issueKey: 'CHK-1', from, state, mapping: MAPPING, attempt: 1, subject: { projectId: '1', fingerprint: 'fp' } });

describe('TransitionWalker', () => {
  it('takes the shortest way out of a done status: Resolved → Reopened → In Progress, not via Closed', async () => {
    const jira = fakeJira(S.resolved);
    const outcome = await walk(jira.client, S.resolved, 'in-progress');
    expect(jira.made).toEqual(['3', '4']);
    expect(outcome).toMatchObject({ kind: 'arrived', status: { name: 'In Progress' } });
  });

  it('looks again when the issue was moved in Jira after it was read, instead of walking from the wrong status', async () => {
    // Read as Open; moved to In Progress by someone before its transitions were listed.
    const jira = fakeJira(S.open, S.progress);
    const outcome = await walk(jira.client, S.open, 'in-progress');
    expect(jira.made).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'arrived', status: { name: 'In Progress' } });
  });

  it('makes one move when one leads straight there', async () => {
    const jira = fakeJira(S.open);
    await walk(jira.client, S.open, 'resolved');
    expect(jira.made).toEqual(['5']);
  });
});
