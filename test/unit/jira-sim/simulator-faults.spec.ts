import { bug, client, useSimulators } from './sim-client';

describe('JiraSimulator', () => {
  const start = useSimulators();

  describe('faults', () => {
    it('rate limits with Retry-After, then recovers', async () => {
      const sim = await start();
      const api = client(sim);
      sim.faults.rateLimit({ requests: 2, retryAfterSeconds: 3 });
      const a = await api('GET', 'myself');
      const b = await api('POST', 'issue', bug('limited'));
      expect([a.status, b.status]).toEqual([429, 429]);
      expect(a.headers.get('retry-after')).toBe('3');
      expect(sim.listIssues()).toEqual([]);
      expect((await api('GET', 'myself')).status).toBe(200);
      sim.faults.rateLimit({ requests: 1, retryAfterSeconds: 1, status: 503 });
      const c = await api('GET', 'myself');
      expect(c.status).toBe(503);
      expect(c.headers.get('retry-after')).toBe('1');
      expect(sim.requests.map((r) => r.status)).toEqual([429, 429, 200, 503]);
    });

    it('answers bursts of server errors', async () => {
      const sim = await start();
      const api = client(sim);
      sim.faults.serverErrors(2);
      expect([(await api('GET', 'myself')).status, (await api('GET', 'field')).status, (await api('GET', 'myself')).status]).toEqual([500, 500, 200]);
      sim.faults.serverErrors(1, 502);
      expect((await api('GET', 'myself')).status).toBe(502);
      sim.faults.serverErrors(5);
      sim.faults.reset();
      expect((await api('GET', 'myself')).status).toBe(200);
    });

    it('drops create responses after storing the issue', async () => {
      const sim = await start();
      const api = client(sim);
      sim.faults.dropCreateResponses(1);
      await expect(api('POST', 'issue', bug('lost'))).rejects.toThrow();
      expect(sim.listIssues().map((i) => [i.key, i.fields.summary])).toEqual([['CHK-1', 'lost']]);
      expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', path: '/rest/api/2/issue', status: 0, body: bug('lost') });
      expect((await api('POST', 'issue', bug('lost'))).body.key).toBe('CHK-2');

      sim.faults.dropCreateResponses('first-per-summary');
      await expect(api('POST', 'issue', bug('A'))).rejects.toThrow();
      expect((await api('POST', 'issue', bug('A'))).status).toBe(201);
      await expect(api('POST', 'issue', bug('B'))).rejects.toThrow();
      expect(sim.listIssues().map((i) => i.fields.summary)).toEqual(['lost', 'lost', 'A', 'A', 'B']);
    });

    it('delays responses', async () => {
      const sim = await start();
      sim.faults.latency(150);
      const t0 = Date.now();
      expect((await client(sim)('GET', 'myself')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(145);
    });
  });
});
