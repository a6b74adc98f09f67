import { BadRequestException } from '@nestjs/common';
import { appValidationPipe } from '@app/common/validation/app-validation-pipe';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';

// PostgreSQL stores neither U+0000 (text, jsonb) nor a lone UTF-16 surrogate (jsonb): the
// settings validation refuses them, naming the member (found by test/e2e/fuzz.e2e-spec.ts).
const pipe = appValidationPipe();
const body = (overrides: Record<string, unknown> = {}) => ({
  apiUrl: 'https://jira.example.com',
  auth: { type: 'basic', email: 'bot@example.com', apiToken: 'token-123' },
  projectKey: 'CHK',
  subject: '{{title}}',
  ...overrides,
});

async function messages(value: unknown): Promise<string[]> {
  try {
    await pipe.transform(value, { type: 'body', metatype: PutJiraSettingsDto });
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    return ((err as BadRequestException).getResponse() as { message: string[] }).message;
  }
  return [];
}

describe('settings strings PostgreSQL cannot store', () => {
  it.each([
    [{ issueType: 'Bug\u0000' }, 'issueType must not contain the NUL character (\\u0000)'],
    [{ labels: 'a,\u0000' }, 'labels must not contain the NUL character (\\u0000)'],
    [{ statusMapping: [{ jiraStatus: 'Done\u0000', state: 'resolved' }] }, 'statusMapping[0].jiraStatus must not contain the NUL character (\\u0000)'],
    [{ issueType: 'Bug\ud800' }, 'issueType must be well-formed Unicode (it has a lone UTF-16 surrogate)'],
    [{ customFields: [{ field: 'Platform', value: 'x\udfffy' }] }, 'customFields[0].value must be well-formed Unicode (it has a lone UTF-16 surrogate)'],
    [{ userMapping: [{ user: '\udc00a@b.c', jiraAccountId: 'abc' }] }, 'userMapping[0].user must be well-formed Unicode (it has a lone UTF-16 surrogate)'],
  ])('refuses %j naming the member', async (overrides, message) => {
    expect(await messages(body(overrides))).toContain(message);
  });

  it('accepts surrogate pairs (emoji) and the text "\\u0000"', async () => {
    expect(await messages(body({ issueType: 'Bug 😀', subject: '\\u0000 {{title}} 𝄞' }))).toEqual([]);
  });
});
