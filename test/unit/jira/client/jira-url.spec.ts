import {
  JiraConfigError,
  browseUrlFor,
  normalizeApiUrl,
  siteUrlFromApiUrl,
} from '@app/modules/jira/client';

describe('normalizeApiUrl', () => {
  it.each([
    ['https://acme.atlassian.net/rest/api/2/', 'https://acme.atlassian.net/rest/api/2/'],
    ['https://acme.atlassian.net/rest/api/2', 'https://acme.atlassian.net/rest/api/2/'],
    ['https://host/rest/api/2/', 'https://host/rest/api/2/'],
    ['https://host/jira/rest/api/2/', 'https://host/jira/rest/api/2/'],
    ['https://host/jira/rest/api/2', 'https://host/jira/rest/api/2/'],
    ['  https://host/jira/rest/api/2/  ', 'https://host/jira/rest/api/2/'],
    // no /rest/api/... → appended
    ['https://host', 'https://host/rest/api/2/'],
    ['https://host/', 'https://host/rest/api/2/'],
    ['https://host/jira', 'https://host/jira/rest/api/2/'],
    ['https://host/jira/', 'https://host/jira/rest/api/2/'],
    ['https://acme.atlassian.net', 'https://acme.atlassian.net/rest/api/2/'],
    ['http://localhost:8080/jira', 'http://localhost:8080/jira/rest/api/2/'],
    // v3 / latest → v2
    ['https://acme.atlassian.net/rest/api/3/', 'https://acme.atlassian.net/rest/api/2/'],
    ['https://acme.atlassian.net/rest/api/3', 'https://acme.atlassian.net/rest/api/2/'],
    ['https://host/jira/rest/api/latest/', 'https://host/jira/rest/api/2/'],
    ['https://host/rest/api', 'https://host/rest/api/2/'],
    // resource paths, browser URLs, case, ports, fragments
    ['https://host/jira/rest/api/2/issue/CHK-1', 'https://host/jira/rest/api/2/'],
    ['https://host/jira/browse/CHK-1', 'https://host/jira/rest/api/2/'],
    ['https://acme.atlassian.net/jira/software/projects/CHK/boards/1', 'https://acme.atlassian.net/rest/api/2/'],
    ['https://ACME.Atlassian.NET/rest/api/2/', 'https://acme.atlassian.net/rest/api/2/'],
    ['https://host:443/rest/api/2/', 'https://host/rest/api/2/'],
    ['https://host:8443/rest/api/2/', 'https://host:8443/rest/api/2/'],
    ['https://host/jira//rest/api/2//', 'https://host/jira/rest/api/2/'],
    ['https://host/jira/rest/api/2/#x', 'https://host/jira/rest/api/2/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeApiUrl(input)).toBe(expected);
  });

  it('always ends with a slash', () => {
    for (const u of ['https://a', 'https://a/b', 'https://a/b/rest/api/2', 'https://a/rest/api/3/x/y']) {
      expect(normalizeApiUrl(u).endsWith('/rest/api/2/')).toBe(true);
    }
  });

  it.each([
    ['ftp://host/rest/api/2/', 'unsupported_protocol', /ftp/],
    ['javascript:alert(1)', 'unsupported_protocol', /javascript/],
    ['file:///etc/passwd', 'unsupported_protocol', /file/],
    ['acme.atlassian.net/rest/api/2', 'invalid_url', /https:\/\//],
    ['', 'invalid_url', /empty/],
    ['https://', 'invalid_url', /./],
    ['https://host/rest/api/2/?os_username=bob', 'query_in_url', /query/],
    ['https://host/rest/agile/1.0/', 'unsupported_path', /rest\/agile/],
    ['https://host/rest/api/1/', 'unsupported_api_version', /version 1/],
  ])('rejects %s (%s)', (input, code, message) => {
    let thrown: unknown;
    try {
      normalizeApiUrl(input);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(JiraConfigError);
    expect((thrown as JiraConfigError).code).toBe(code);
    expect((thrown as JiraConfigError).field).toBe('apiUrl');
    expect((thrown as Error).message).toMatch(message);
  });

  it('rejects credentials in the URL without repeating them', () => {
    let thrown: unknown;
    try {
      normalizeApiUrl('https://bot%40acme.com:s3cr3t-t0ken@acme.atlassian.net/rest/api/2/');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(JiraConfigError);
    expect((thrown as JiraConfigError).code).toBe('credentials_in_url');
    expect((thrown as Error).message).not.toMatch(/s3cr3t|bot/);
  });

  it('derives the site and browse URLs', () => {
    expect(siteUrlFromApiUrl('https://host/jira/rest/api/2/')).toBe('https://host/jira');
    expect(siteUrlFromApiUrl('https://acme.atlassian.net/rest/api/3')).toBe('https://acme.atlassian.net');
    expect(browseUrlFor('https://host/jira/rest/api/2/', 'CHK-12')).toBe('https://host/jira/browse/CHK-12');
    expect(browseUrlFor('https://acme.atlassian.net/rest/api/2/', 'CHK-1')).toBe(
      'https://acme.atlassian.net/browse/CHK-1',
    );
  });
});
