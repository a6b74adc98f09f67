import { jiraCallOperation } from '@app/modules/jira/jira-call-operation';

describe('jiraCallOperation', () => {
  it.each([
    ['POST', 'issue', 'createIssue'],
    ['POST', 'issue/bulk', 'createIssuesInBulk'],
    ['GET', 'issue/{issue}', 'readIssue'],
    ['POST', 'issue/{issue}/transitions', 'transitionIssue'],
    ['GET', 'issue/{issue}/transitions', 'readTransitions'],
    ['PUT', 'issue/{issue}/assignee', 'assignIssue'],
    ['POST', 'search/jql', 'searchIssues'],
    ['GET', 'search', 'searchIssues'],
    ['GET', 'user/search', 'searchUsers'],
    ['POST', 'webhook', 'createWebhook'],
    ['GET', 'issue/createmeta/CHK/issuetypes', 'readCreateScreen'],
    ['get', '/myself', 'readMyself'],
  ])('%s %s is %s', (method, route, operation) => {
    expect(jiraCallOperation({ method: method as 'GET', route })).toBe(operation);
  });

  it('names a call it does not know `other`, never by its path (no issue keys in labels)', () => {
    expect(jiraCallOperation({ method: 'POST', route: 'issue/CHK-12/worklog' })).toBe('other');
    expect(jiraCallOperation({ method: 'DELETE', route: 'issue' })).toBe('other');
  });
});
