import { DomainError } from '@app/common/errors/domain-error';
import { assertStoredSecretUsable } from '@app/modules/jira-settings/domain/auth-secret-plan';
import { customFieldsProblem, statusMappingProblem, userMappingProblem } from '@app/modules/jira-settings/domain/list-rules';
import { toStoredSettings } from '@app/modules/jira-settings/domain/to-stored-settings';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { SETTINGS_DEFAULTS } from '@app/modules/jira-settings/jira-settings';
import { toSettingsResponse } from '@app/modules/jira-settings/jira-settings.mapper';

describe('list rules', () => {
  it('finds repeated and reserved custom fields, ignoring malformed entries', () => {
    expect(customFieldsProblem([{ field: 'A', value: '' }, { field: 'customfield_1', value: '' }])).toBeNull();
    expect(customFieldsProblem([{ field: 'Platform' }, 'junk', { field: ' platform ' }])).toBe('customFields[2].field: the field is already set by customFields[0]');
    expect(customFieldsProblem([{ field: 'PROJECT' }])).toContain('customFields[0].field: PROJECT is set by projectKey');
    expect(customFieldsProblem('not a list')).toBeNull();
  });

  it('allows one primary status per state', () => {
    const ok = [
      { jiraStatus: 'To Do', state: 'open', primary: true },
      { jiraStatus: 'Reopened', state: 'open' },
      { jiraStatus: 'Done', state: 'resolved', primary: true },
    ];
    expect(statusMappingProblem(ok)).toBeNull();
    expect(statusMappingProblem([...ok, { jiraStatus: 'Closed', state: 'resolved', primary: true }])).toMatch(/^statusMapping\[3\]\.primary: state resolved already has a primary status \(statusMapping\[2\]\)/);
    expect(statusMappingProblem([...ok, { jiraStatus: 'to do', state: 'muted' }])).toMatch(/^statusMapping\[3\]\.jiraStatus/);
  });

  it('maps a user once', () => {
    expect(userMappingProblem([{ user: 'a@x' }, { user: 'b@x' }])).toBeNull();
    expect(userMappingProblem([{ user: 'a@x' }, { user: 'A@X' }])).toBe('userMapping[1].user: the user is already mapped by userMapping[0]');
  });
});

describe('keeping the stored secret', () => {
  const stored = { authType: 'basic' as const, apiUrl: 'https://jira.example.com/rest/api/2/' };
  const problem = (fn: () => void) => {
    try {
      fn();
      return null;
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      return (err as DomainError).message;
    }
  };

  it('is allowed for the same auth type on the same site', () => {
    expect(problem(() => assertStoredSecretUsable('basic', 'https://jira.example.com/jira/rest/api/2/', stored))).toBeNull();
  });

  it('is refused on creation, on a type change and on another site', () => {
    expect(problem(() => assertStoredSecretUsable('basic', stored.apiUrl, null))).toContain('auth.apiToken is required');
    expect(problem(() => assertStoredSecretUsable('bearer', stored.apiUrl, stored))).toContain('auth.token is required when auth.type changes');
    expect(problem(() => assertStoredSecretUsable('basic', 'https://jira.example.com:8443/rest/api/2/', stored))).toContain('another site');
    expect(problem(() => assertStoredSecretUsable('basic', 'http://jira.example.com/rest/api/2/', stored))).toContain('another site');
  });
});

describe('stored settings and the response', () => {
  const dto = {
    apiUrl: 'https://jira.example.com',
    auth: { type: 'basic', email: 'bot@example.com', apiToken: 'tok' },
    projectKey: 'CHK',
    subject: '{{title}}',
    createRules: { minCount: 5 },
    fixVersionSync: { enabled: true },
    userMapping: [{ user: 'a@x', jiraUsername: 'a', jiraAccountId: undefined }],
  } as unknown as PutJiraSettingsDto;

  it('fills defaults member by member and stores no auth', () => {
    const stored = toStoredSettings(dto);
    expect(stored).toEqual({
      ...SETTINGS_DEFAULTS,
      projectKey: 'CHK',
      subject: '{{title}}',
      createRules: { ...SETTINGS_DEFAULTS.createRules, minCount: 5 },
      fixVersionSync: { enabled: true, versionAttribute: 'version' },
      userMapping: [{ user: 'a@x', jiraUsername: 'a' }],
    });
    expect(JSON.stringify(stored)).not.toContain('tok');
  });

  it('shows the webhook secret only when given', () => {
    const settings = { ...toStoredSettings(dto), apiUrl: 'https://jira.example.com/rest/api/2/', auth: { type: 'basic' as const, email: 'bot@example.com' } };
    const plain = toSettingsResponse(settings, { publicUrl: 'https://cb.example.com', projectKey: 'web' });
    expect(plain.webhook).toEqual({ url: 'https://cb.example.com/webhooks/jira/web' });
    expect(plain.auth).toEqual({ type: 'basic', email: 'bot@example.com', tokenSet: true });
    const shown = toSettingsResponse(settings, { publicUrl: 'https://cb.example.com', projectKey: 'web', secret: 'whsec_x' });
    expect(shown.webhook).toEqual({ url: 'https://cb.example.com/webhooks/jira/web', secret: 'whsec_x', urlWithSecret: 'https://cb.example.com/webhooks/jira/web?secret=whsec_x' });
  });
});
