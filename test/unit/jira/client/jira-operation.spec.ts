import { jiraOperation } from '@app/modules/jira/client';

describe('jiraOperation', () => {
  it.each([
    ['POST', 'issue', 'create issue'],
    ['POST', 'issue/CHK-1/transitions', 'transition issue'],
    ['GET', 'issue/CHK-1/transitions', 'read transitions'],
    ['PUT', 'issue/CHK-1/assignee', 'assign issue'],
    ['POST', 'issue/CHK-1/comment', 'add comment'],
    ['PUT', 'issue/CHK-1', 'edit issue'],
    ['DELETE', 'issue/10001', 'delete issue'],
    ['GET', 'issue/10001', 'read issue'],
    ['POST', 'search/jql', 'search issues'],
    ['GET', 'issue/createmeta/CHK/issuetypes', 'read create screen'],
    ['GET', 'mypermissions', 'read permissions'],
    ['GET', 'issue/CHK-1/worklog', 'read issue'],
    ['GET', 'dashboard', 'GET dashboard'],
  ])('%s %s is "%s"', (method, path, name) => {
    expect(jiraOperation({ method, path })).toBe(name);
  });

  it('says "call Jira" when the request is unknown', () => {
    expect(jiraOperation({})).toBe('call Jira');
  });
});
