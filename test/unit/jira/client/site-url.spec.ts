// Scoped API tokens go through Atlassian's gateway (api.atlassian.com/ex/jira/{cloudId}/rest/api/2/), which
// serves no web pages: browse links take the site's own address from serverInfo.baseUrl. The gateway's name
// is resolved to a local server here, so nothing leaves the machine.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EgressGuard, JiraClient } from '@app/modules/jira/client';

describe('JiraClient site URL behind the API gateway', () => {
  let server: http.Server;
  let port: number;
  const paths: string[] = [];
  const guard = new EgressGuard({ resolve: (_host, _opts, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      paths.push(`${req.headers.host} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ baseUrl: 'https://acme.atlassian.net', deploymentType: 'Cloud', version: '1001.0.0' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    guard.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const client = (apiUrl: string) =>
    new JiraClient({ apiUrl, auth: { type: 'basic', email: 'bot@acme.com', apiToken: 'tok' }, flavour: 'cloud' }, { egress: guard, retry: { maxAttempts: 1 } });

  it('reads serverInfo.baseUrl once, keeps the gateway path for REST, and links to the site', async () => {
    const c = client(`http://api.atlassian.com:${port}/ex/jira/1a2b3c/rest/api/2/`);
    expect(c.apiUrl).toBe(`http://api.atlassian.com:${port}/ex/jira/1a2b3c/rest/api/2/`);
    expect(await c.resolveSiteUrl()).toBe('https://acme.atlassian.net');
    expect(await c.resolveSiteUrl()).toBe('https://acme.atlassian.net');
    expect(c.browseUrl('CHK-1')).toBe('https://acme.atlassian.net/browse/CHK-1');
    expect(paths).toEqual([`api.atlassian.com:${port} /ex/jira/1a2b3c/rest/api/2/serverInfo`]);
  });

  it('asks nothing for a site reached directly: its browse links are under its own REST base', async () => {
    paths.length = 0;
    const c = client(`http://jira.acme.test:${port}/jira/rest/api/2/`);
    expect(await c.resolveSiteUrl()).toBe(`http://jira.acme.test:${port}/jira`);
    expect(c.browseUrl('CHK-2')).toBe(`http://jira.acme.test:${port}/jira/browse/CHK-2`);
    expect(paths).toEqual([]);
  });
});
