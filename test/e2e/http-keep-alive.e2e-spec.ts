// Idle client connections stay open HTTP_KEEP_ALIVE_SECONDS (65 s by default, above a load balancer's
// idle timeout) and the server says so in Keep-Alive, so that the client, not the server, closes them.
import http from 'node:http';
import { once } from 'node:events';
import { startTestApp, TestApp } from '../support/test-app';

/** GET /health on one kept-alive connection; the response's Keep-Alive header and the socket. */
async function healthOnKeptSocket(app: TestApp, agent: http.Agent) {
  const req = http.get(`${app.url}/health`, { agent });
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  res.resume();
  await once(res, 'end');
  return { keepAlive: res.headers['keep-alive'], connection: res.headers.connection, socket: req.socket! };
}

describe('HTTP keep-alive', () => {
  let app: TestApp;
  afterEach(async () => {
    await app?.stop();
  });

  it('announces 65 s by default and keeps the connection for the next request', async () => {
    app = await startTestApp();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await healthOnKeptSocket(app, agent);
      expect(first).toMatchObject({ keepAlive: 'timeout=65', connection: 'keep-alive' });
      const second = await healthOnKeptSocket(app, agent);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });

  it('closes an idle connection itself after HTTP_KEEP_ALIVE_SECONDS', async () => {
    app = await startTestApp({ env: { HTTP_KEEP_ALIVE_SECONDS: '1' } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { keepAlive, socket } = await healthOnKeptSocket(app, agent);
      expect(keepAlive).toBe('timeout=1');
      // The server's FIN arrives while the socket sits in the agent's free list: nothing in this test closes it.
      await once(socket, 'close');
      expect(socket.destroyed).toBe(true);
      expect(agent.freeSockets).toEqual({});
    } finally {
      agent.destroy();
    }
  });
});
