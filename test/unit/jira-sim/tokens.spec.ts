import { client, useSimulators } from './sim-client';

describe('JiraSimulator expiring tokens', () => {
  const start = useSimulators();

  it('Cloud: 401 in plain text with X-Seraph-LoginReason until the token is rotated', async () => {
    const sim = await start();
    const api = client(sim);
    const old = { ...sim.credentials };
    sim.expireToken();
    for (const path of ['myself', 'issue/CHK-1', '/rest/webhooks/1.0/webhook']) {
      const r = await api('GET', path);
      expect([r.status, r.text, r.headers.get('x-seraph-loginreason')]).toEqual([401, 'Client must be authenticated to access this resource.', 'AUTHENTICATED_FAILED']);
    }
    const fresh = sim.rotateToken();
    expect(fresh.apiToken).not.toBe(old.apiToken);
    expect(sim.credentials.apiToken).toBe(fresh.apiToken);
    expect((await api('GET', 'myself')).status).toBe(200);
    const stale = await fetch(`${sim.apiUrl}myself`, { headers: { authorization: 'Basic ' + Buffer.from(`${old.email}:${old.apiToken}`).toString('base64') } });
    expect(stale.status).toBe(401);
    expect(sim.requests.filter((r) => r.status === 401)).toHaveLength(4);
  });

  it('Data Center: the PAT and the password both stop, with a JSON body', async () => {
    const sim = await start({ flavour: 'datacenter' });
    sim.expireToken();
    for (const auth of ['bearer', 'basic'] as const) {
      const r = await client(sim, auth)('GET', 'myself');
      expect(r.status).toBe(401);
      expect(r.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
      expect(r.body.errorMessages[0]).toMatch(/not authenticated/);
    }
    const res = await fetch(`${sim.baseUrl}/_sim/token`, { method: 'POST', body: JSON.stringify({ rotate: true }) });
    expect(((await res.json()) as { pat: string }).pat).toBe(sim.credentials.pat);
    expect((await client(sim, 'bearer')('GET', 'myself')).status).toBe(200);
  });
});
