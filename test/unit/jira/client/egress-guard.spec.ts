// The Jira client's SSRF guard: the host written in apiUrl (allow-list, metadata names, IP
// literals) and, at connection time, every address a host name resolves to (DNS rebinding).
import * as http from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';
import { parseHostAllowList } from '@app/common/net/host-allow-list';
import { EgressGuard, JiraClient, JiraError, Resolver } from '@app/modules/jira/client';

/** A resolver that answers every name with the given addresses, and records what it was asked. */
function fakeDns(answers: Record<string, string[]>, asked: string[] = []): Resolver {
  return (hostname, _options, callback) => {
    asked.push(hostname);
    const list = answers[hostname];
    if (!list) {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      return callback(err, []);
    }
    callback(null, list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

describe('EgressGuard.refusalFor (host written in apiUrl)', () => {
  const any = new EgressGuard();

  it.each([
    ['http://169.254.169.254/rest/api/2/', '169.254.169.254 is a cloud metadata address'],
    ['http://169.254.10.20:8080/rest/api/2/', '169.254.10.20 is a link-local address'],
    ['http://[fe80::1]/rest/api/2/', 'fe80::1 is a link-local address'],
    ['http://[fd00:ec2::254]/rest/api/2/', 'fd00:ec2::254 is a cloud metadata address'],
    ['http://0.0.0.0:8089/rest/api/2/', '0.0.0.0 is an unspecified address'],
    ['http://[::]/rest/api/2/', ':: is an unspecified address'],
    ['http://[::ffff:169.254.169.254]/rest/api/2/', 'is a cloud metadata address'],
    ['http://2852039166/rest/api/2/', '169.254.169.254 is a cloud metadata address'], // decimal spelling, normalised by URL
    ['http://0xa9.0xfe.0xa9.0xfe/rest/api/2/', '169.254.169.254 is a cloud metadata address'],
    ['http://metadata.google.internal/rest/api/2/', 'metadata.google.internal is a cloud metadata host'],
    ['http://METADATA.google.internal./rest/api/2/', 'metadata.google.internal is a cloud metadata host'],
    // IPv4 inside IPv6 beyond the mapped form: IPv4-compatible, SIIT-translated, 6to4; and Oracle Cloud's metadata address
    ['http://[::a9fe:a9fe]/rest/api/2/', '::a9fe:a9fe is a cloud metadata address'],
    ['http://[::ffff:0:a9fe:a9fe]/rest/api/2/', '::ffff:0:a9fe:a9fe is a cloud metadata address'],
    ['http://[2002:a9fe:a9fe::]/rest/api/2/', '2002:a9fe:a9fe:: is a cloud metadata address'],
    ['http://[2002:a9fe:1::]/rest/api/2/', '2002:a9fe:1:: is a link-local address'],
    ['http://192.0.0.192/rest/api/2/', '192.0.0.192 is a cloud metadata address'],
  ])('always refuses %s', (url, reason) => {
    expect(any.refusalFor(url)).toContain(reason);
  });

  it.each([
    'https://acme.atlassian.net/rest/api/2/', 'http://127.0.0.1:8089/rest/api/2/', 'http://localhost:8089/rest/api/2/',
    'http://[::1]:8089/rest/api/2/', 'https://10.1.2.3/jira/rest/api/2/', 'https://192.168.0.10/rest/api/2/', 'https://[fd12::3]/rest/api/2/',
  ])('allows %s without an allow-list (loopback and private ranges included)', (url) => {
    expect(any.refusalFor(url)).toBeNull();
  });

  it('with an allow-list, refuses every other host, naming the list', () => {
    const narrow = new EgressGuard({ allowList: parseHostAllowList('*.atlassian.net,10.0.0.0/8') });
    expect(narrow.refusalFor('https://acme.atlassian.net/rest/api/2/')).toBeNull();
    expect(narrow.refusalFor('https://10.20.30.40/rest/api/2/')).toBeNull();
    expect(narrow.refusalFor('http://127.0.0.1:8089/rest/api/2/')).toBe('127.0.0.1 is not in JIRA_ALLOWED_HOSTS (*.atlassian.net, 10.0.0.0/8)');
    expect(narrow.refusalFor('https://jira.acme.com/rest/api/2/')).toContain('jira.acme.com is not in JIRA_ALLOWED_HOSTS');
    // The list never makes an always-refused address reachable.
    const careless = new EgressGuard({ allowList: parseHostAllowList('169.254.0.0/16,metadata.google.internal') });
    expect(careless.refusalFor('http://169.254.169.254/')).toContain('cloud metadata');
    expect(careless.refusalFor('http://metadata.google.internal/')).toContain('cloud metadata');
  });
});

describe('JiraClient behind the egress guard', () => {
  let server: http.Server;
  let port: number;
  const hits: string[] = [];
  const guards: EgressGuard[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accountId: 'abc', displayName: 'Bot' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    guards.forEach((g) => g.destroy());
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    hits.length = 0;
  });

  const guard = (resolve: Resolver, allow = '') => {
    const g = new EgressGuard({ resolve, allowList: parseHostAllowList(allow) });
    guards.push(g);
    return g;
  };
  const client = (host: string, egress: EgressGuard) =>
    new JiraClient(
      { apiUrl: `http://${host}:${port}/rest/api/2/`, auth: { type: 'basic', email: 'bot@acme.com', apiToken: 'tok-123' }, flavour: 'datacenter' },
      { egress, retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } },
    );

  it('connects through the lookup hook: a name resolving to an allowed address works', async () => {
    const asked: string[] = [];
    const c = client('jira.test', guard(fakeDns({ 'jira.test': ['127.0.0.1'] }, asked)));
    await expect(c.myself()).resolves.toMatchObject({ displayName: 'Bot' });
    expect(asked).toContain('jira.test');
    // Non-idempotent requests use their own (fresh) agents: guarded too.
    await c.request({ method: 'POST', path: 'issue', body: { fields: {} } });
    expect(asked.filter((h) => h === 'jira.test').length).toBeGreaterThanOrEqual(2);
    expect(hits).toEqual(['GET /rest/api/2/myself', 'POST /rest/api/2/issue']);
  });

  it.each([
    [['169.254.169.254'], 'cloud metadata'],
    [['127.0.0.1', '169.254.0.7'], 'link-local'], // one bad address among good ones is enough
    [['0.0.0.0'], 'unspecified'],
    [['fd00:ec2::254'], 'cloud metadata'],
    [['::ffff:169.254.169.254'], 'cloud metadata'],
    [['::a9fe:a9fe'], 'cloud metadata'],
    [['2002:a9fe:a9fe::'], 'cloud metadata'],
    [['192.0.0.192'], 'cloud metadata'],
  ])('refuses at connection time a name that resolves to %j (DNS rebinding), without retrying, as egress_denied', async (addresses, kind) => {
    const asked: string[] = [];
    const attempts: string[] = [];
    const egress = guard(fakeDns({ 'rebind.test': addresses }, asked));
    const c = new JiraClient(
      { apiUrl: `http://rebind.test:${port}/rest/api/2/`, auth: { type: 'bearer', token: 'pat-123' }, flavour: 'datacenter' },
      { egress, retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 5 }, onAttempt: (i) => attempts.push(i.outcome) },
    );
    expect(c.apiUrl).toBe(`http://rebind.test:${port}/rest/api/2/`); // the URL itself is fine
    const err = await c.myself().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(JiraError);
    expect(err).toMatchObject({ kind: 'egress_denied', retryable: false, mayHaveBeenProcessed: false, code: 'EGRESS_DENIED' });
    expect((err as JiraError).message).toMatch(new RegExp(`^Jira connection refused: rebind\\.test resolves to .*${kind}`));
    expect(attempts).toEqual(['egress_denied']);
    expect(asked).toEqual(['rebind.test']);
    // Non-idempotent requests too (they use the fresh-connection agents).
    await expect(c.request({ method: 'POST', path: 'issue', body: {} })).rejects.toMatchObject({ kind: 'egress_denied' });
    expect(hits).toEqual([]);
  });

  it('refuses a refused literal or a host off the allow-list before any connection', async () => {
    const asked: string[] = [];
    const dnsAll = fakeDns({ 'jira.test': ['127.0.0.1'] }, asked);
    for (const [host, allow, reason] of [
      ['169.254.169.254', '', 'cloud metadata address'],
      ['jira.test', 'jira.acme.com', 'not in JIRA_ALLOWED_HOSTS'],
      ['127.0.0.1', '10.0.0.0/8', 'not in JIRA_ALLOWED_HOSTS'],
    ]) {
      const attempts: string[] = [];
      const c = new JiraClient(
        { apiUrl: `http://${host}:${port}/`, auth: { type: 'bearer', token: 'pat-123' }, flavour: 'datacenter' },
        { egress: guard(dnsAll, allow), retry: { baseDelayMs: 1, maxAttempts: 5 }, onAttempt: (i) => attempts.push(i.outcome) },
      );
      await expect(c.getProject('CHK')).rejects.toMatchObject({ kind: 'egress_denied', message: expect.stringContaining(reason) });
      expect(attempts).toEqual(['egress_denied']);
    }
    expect(asked).toEqual([]);
    expect(hits).toEqual([]);
    // The same hosts, allowed: the requests go out.
    await expect(client('jira.test', guard(dnsAll, 'jira.test')).myself()).resolves.toBeDefined();
    await expect(client('127.0.0.1', guard(dnsAll, '127.0.0.0/8')).myself()).resolves.toBeDefined();
    expect(hits).toHaveLength(2);
  });

  it('passes DNS failures through as network errors (retried as before)', async () => {
    const attempts: string[] = [];
    const c = new JiraClient(
      { apiUrl: `http://nowhere.test:${port}/`, auth: { type: 'bearer', token: 'pat-123' }, flavour: 'datacenter' },
      { egress: guard(fakeDns({})), retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 }, onAttempt: (i) => attempts.push(i.outcome) },
    );
    await expect(c.myself()).rejects.toMatchObject({ kind: 'network', code: 'ENOTFOUND' });
    expect(attempts).toEqual(['network', 'network']);
  });
});
