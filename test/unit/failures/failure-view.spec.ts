import { sanitiseError, toFailureView } from '@app/modules/failures/failure-view';

describe('sanitiseError', () => {
  it('masks credentials and secrets an error message could carry', () => {
    const out = sanitiseError(
      'POST https://bot:hunter2@jira.example/rest/api/2/issue failed; Authorization: Basic Ym90Omh1bnRlcjI= ' +
        'Bearer sim-pat-NjQ2MTIzNDU2Nzg5 url https://x.example/webhooks/jira/P?secret=s3cr3t&a=1 token ATATT3xFfGF0abcdefgh',
    )!;
    for (const leaked of ['hunter2', 'Ym90Omh1bnRlcjI=', 'sim-pat-NjQ2MTIzNDU2Nzg5', 's3cr3t', 'ATATT3xFfGF0abcdefgh']) expect(out).not.toContain(leaked);
    expect(out).toContain('https://[redacted]@jira.example/rest/api/2/issue');
    expect(out).toContain('?secret=[redacted]&a=1');
  });

  it('keeps a plain Jira answer and bounds its length', () => {
    expect(sanitiseError('Jira answered 403: You do not have permission to create issues in this project.')).toBe(
      'Jira answered 403: You do not have permission to create issues in this project.',
    );
    expect(sanitiseError('x'.repeat(5000))!.length).toBe(1001);
    expect(sanitiseError(null)).toBeNull();
  });
});

describe('toFailureView', () => {
  const row = {
    id: '7', kind: 'jira.regression', payload: { groupId: '3' }, attempts: 10, lastError: 'boom', createdAt: new Date(0), failedAt: null,
    fingerprint: 'fp', title: 'Crash', issueKey: 'CHK-1',
  };
  it('says what the job did, for which group and issue', () => {
    expect(toFailureView(row)).toMatchObject({ id: '7', what: 'regression', group: { fingerprint: 'fp', title: 'Crash' }, issue: { key: 'CHK-1' }, attempts: 10, failedAt: null });
    expect(toFailureView({ ...row, kind: 'jira.resync', fingerprint: null, issueKey: null })).toMatchObject({ what: 'resync', group: null, issue: null });
    expect(toFailureView({ ...row, kind: 'no.such' })).toMatchObject({ what: 'no.such', description: 'Run job no.such' });
  });
});
