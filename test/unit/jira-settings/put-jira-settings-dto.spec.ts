import { BadRequestException } from '@nestjs/common';
import { appValidationPipe } from '@app/common/validation/app-validation-pipe';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';

// The app's global pipe (src/bootstrap.ts).
const pipe = appValidationPipe();
const TOKEN = 'secret-token-value-123';

const body = (overrides: Record<string, unknown> = {}) => ({
  apiUrl: 'https://jira.example.com',
  auth: { type: 'basic', email: 'bot@example.com', apiToken: TOKEN },
  projectKey: 'CHK',
  subject: '{{title}}',
  ...overrides,
});

async function validate(value: unknown): Promise<PutJiraSettingsDto> {
  return pipe.transform(value, { type: 'body', metatype: PutJiraSettingsDto });
}

async function messages(value: unknown): Promise<string[]> {
  try {
    await validate(value);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    return ((err as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('expected a validation error');
}

describe('PutJiraSettingsDto', () => {
  it('accepts a minimal body, trims names and upper-cases the project key', async () => {
    const dto = await validate(body({ projectKey: ' chk ', auth: { type: 'basic', email: ' bot@example.com\n', apiToken: `${TOKEN}\n` } }));
    expect(dto).toMatchObject({ projectKey: 'CHK', auth: { type: 'basic', email: 'bot@example.com', apiToken: TOKEN } });
  });

  it('accepts bearer auth and the username alias, each without its secret', async () => {
    await expect(validate(body({ auth: { type: 'bearer' } }))).resolves.toBeDefined();
    await expect(validate(body({ auth: { type: 'basic', username: 'jira-bot' } }))).resolves.toBeDefined();
  });

  it.each<[Record<string, unknown>, string]>([
    [{ apiUrl: 'mailto:x@example.com' }, 'apiUrl must use http or https, not mailto'],
    [{ apiUrl: undefined }, 'apiUrl is required'],
    [{ auth: { type: 'basic', apiToken: TOKEN } }, 'auth.email is required for basic auth'],
    [{ auth: { type: 'bearer', token: TOKEN, username: 'x' } }, 'auth.username is only used with basic auth'],
    [{ projectKey: 'CH-K' }, 'projectKey must be a Jira project key'],
    [{ subject: '{{#each callstack}}' }, 'subject:1:'],
    [{ customFields: [{ field: 'A', value: 'x' }, { field: 'B', value: '{{/if}}' }] }, 'customFields[1].value:1:1: '],
    [{ customFields: [{ field: 'Issue Type', value: 'Task' }] }, 'customFields[0].field: Issue Type is set by issueType'],
    [{ statusMapping: [{ jiraStatus: 'Done', state: 'resolved', primary: true }, { jiraStatus: 'Closed', state: 'resolved', primary: true }] }, 'statusMapping[1].primary'],
    [{ userMapping: [{ user: 'a@example.com', jiraAccountId: '' }] }, 'userMapping[0].jiraAccountId must not be empty'],
    [{ createRules: { minCount: '3' } }, 'createRules.minCount must be an integer from 1 to'],
    [{ createRules: { maxTicketsPerHour: 20_000 } }, 'createRules.maxTicketsPerHour must be an integer from 1 to 10000'],
    [{ fixVersionSync: { enabled: true, extra: 1 } }, 'property fixVersionSync.extra should not exist'],
  ])('rejects %j with a message naming the field', async (overrides, expected) => {
    const list = await messages(body(overrides));
    expect(list.join(' | ')).toContain(expected);
    expect(list.join(' | ')).not.toContain(TOKEN);
  });

  it('gives one message per wrong member', async () => {
    expect(await messages({})).toEqual(['apiUrl is required', 'auth is required', 'projectKey is required', 'subject is required']);
    expect(await messages(body({ auth: { type: 'basic', email: 'a', apiToken: 7 } }))).toEqual(['auth.apiToken must be a string']);
  });
});
