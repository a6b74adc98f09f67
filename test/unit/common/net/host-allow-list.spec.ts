import { HostAllowListError, parseHostAllowList } from '@app/common/net/host-allow-list';

describe('parseHostAllowList (JIRA_ALLOWED_HOSTS)', () => {
  it('allows any host when empty', () => {
    for (const text of [undefined, '', ' , ,']) {
      const list = parseHostAllowList(text);
      expect(list.entries).toEqual([]);
      expect(list.allows('jira.acme.com')).toBe(true);
      expect(list.allows('10.0.0.1')).toBe(true);
    }
  });

  it('normalises entries: lower case, no brackets, no trailing dot', () => {
    expect(parseHostAllowList(' Jira.Acme.COM. , [FD12::5] ,*.Atlassian.net,10.0.0.0/8').entries).toEqual([
      'jira.acme.com', 'fd12::5', '*.atlassian.net', '10.0.0.0/8',
    ]);
  });

  const list = parseHostAllowList('jira.acme.com, *.atlassian.net, 10.0.0.0/8, 127.0.0.1, fd12::/16, ::ffff:192.168.0.0/112');

  it.each([
    'jira.acme.com', 'JIRA.ACME.COM', 'jira.acme.com.', 'acme.atlassian.net', 'a.b.atlassian.net', '10.0.0.1', '10.255.255.255',
    '127.0.0.1', '[fd12::1]', 'fd12:ffff::1', '::ffff:10.9.8.7', '192.168.3.4', '[::ffff:192.168.0.1]',
  ])('allows %s', (host) => {
    expect(list.allows(host)).toBe(true);
  });

  it.each([
    'acme.com', 'www.jira.acme.com', 'atlassian.net', 'evilatlassian.net', 'atlassian.net.evil.com', '11.0.0.1', '127.0.0.2',
    'localhost', 'fd13::1', '::1', '192.169.0.1', '::ffff:11.0.0.1',
  ])('refuses %s', (host) => {
    expect(list.allows(host)).toBe(false);
  });

  it('matches names against names and addresses against addresses only', () => {
    const names = parseHostAllowList('localhost');
    expect(names.allows('localhost')).toBe(true);
    expect(names.allows('127.0.0.1')).toBe(false);
    const addresses = parseHostAllowList('127.0.0.1');
    expect(addresses.allows('127.0.0.1')).toBe(true);
    expect(addresses.allows('localhost')).toBe(false);
  });

  it.each([
    ['https://jira.acme.com', 'is not a host name'], ['jira.acme.com:8443', 'is not a host name'], ['jira.acme.com/rest', 'is not a host name'],
    ['*', 'is not a host name'], ['*.', 'is not a host name'], ['a*.acme.com', 'is not a host name'], ['two words', 'is not a host name'],
    ['10.0.0.0/33', 'CIDR'], ['fd00::/129', 'CIDR'], ['10.0.0.0/', 'CIDR'], ['10.0.0.0/x', 'CIDR'],
  ])('refuses the entry %s, naming it', (entry, problem) => {
    expect(() => parseHostAllowList(`jira.acme.com,${entry}`)).toThrow(HostAllowListError);
    expect(() => parseHostAllowList(`jira.acme.com,${entry}`)).toThrow(`'${entry}'`);
    expect(() => parseHostAllowList(entry)).toThrow(problem);
  });
});
