import { jiraCallOperation } from '@app/modules/jira/jira-call-operation';

describe('jiraCallOperation', () => {
  it.each([
    ['POST', 'issue', 'createIssue'],
    ['GET', 'issue/{issue}', 'readIssue'],
    ['POST', 'issue/{issue}/transitions', 'transition'],
    ['GET', 'issue/{issue}/transitions', 'readTransitions'],
    ['PUT', 'issue/{issue}/assignee', 'assign'],
    ['POST', 'search/jql', 'search'],
    ['GET', 'search', 'search'],
    ['GET', 'user/search', 'searchUsers'],
    ['POST', 'webhook', 'createWebhook'],
    ['GET', 'issue/createmeta/CHK/issuetypes', 'readMetadata'],
    ['get', '/myself', 'myself'],
  ])('%s %s is %s', (method, route, operation) => {
    expect(jiraCallOperation({ method: method as 'GET', route })).toBe(operation);
  });

  it('names a call it does not know `other`, never by its path (no issue keys in labels)', () => {
    expect(jiraCallOperation({ method: 'GET', route: 'issue/CHK-12/worklog' })).toBe('other');
    expect(jiraCallOperation({ method: 'DELETE', route: 'issue' })).toBe('other');
  });
});
