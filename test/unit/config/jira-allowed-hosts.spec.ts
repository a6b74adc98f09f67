import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@app/config/load-config';

const dir = () => mkdtempSync(join(tmpdir(), 'cb-config-'));

describe('JIRA_ALLOWED_HOSTS', () => {
  it('defaults to any host (an empty list)', () => {
    expect(loadConfig({ DATA_DIR: dir() }).jiraAllowedHosts).toEqual([]);
    expect(loadConfig({ DATA_DIR: dir(), JIRA_ALLOWED_HOSTS: '' }).jiraAllowedHosts).toEqual([]);
  });

  it('takes names, *.domain, addresses and CIDR ranges, normalised', () => {
    const c = loadConfig({ DATA_DIR: dir(), JIRA_ALLOWED_HOSTS: ' Jira.Acme.com , *.atlassian.net,10.0.0.0/8,[fd12::5], 127.0.0.1' });
    expect(c.jiraAllowedHosts).toEqual(['jira.acme.com', '*.atlassian.net', '10.0.0.0/8', 'fd12::5', '127.0.0.1']);
  });

  it.each(['https://jira.acme.com', 'jira.acme.com:443', '*', '10.0.0.0/40', 'jira.acme.com/rest'])('stops on %s with a message naming the variable and the entry', (value) => {
    const load = () => loadConfig({ DATA_DIR: dir(), JIRA_ALLOWED_HOSTS: `jira.ok.com,${value}` });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/JIRA_ALLOWED_HOSTS/);
    expect(load).toThrow(`'${value}'`);
  });

  it('reports it together with the other bad variables', () => {
    expect(() => loadConfig({ DATA_DIR: dir(), JIRA_ALLOWED_HOSTS: 'a b', PORT: 'x' })).toThrow(/PORT[\s\S]*JIRA_ALLOWED_HOSTS|JIRA_ALLOWED_HOSTS[\s\S]*PORT/);
  });
});
