// ExpressHttpAdapter (src/common/http/express-http-adapter.ts): its HTTP server builds each request and
// response on Express's prototypes before any listener sees them, and Express still serves them.
import type { Express } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { IncomingMessage as NodeRequest, ServerResponse as NodeResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExpressHttpAdapter } from '@app/common/http/express-http-adapter';
import { hasFastProperties } from '../../../support/fast-properties';

interface Seen {
  request: object | null;
  response: object | null;
  nodeTypes: boolean;
}

/** Starts the adapter's server with one Express route, noting what the first request listener saw. */
async function serve(options: object): Promise<{ app: Express; server: Server; seen: Seen[]; objects: object[]; url: string }> {
  const adapter = new ExpressHttpAdapter();
  adapter.initHttpServer(options);
  const app = adapter.getInstance<Express>();
  const server = adapter.getHttpServer() as Server;
  const seen: Seen[] = [];
  const objects: object[] = [];
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ request: Object.getPrototypeOf(req), response: Object.getPrototypeOf(res), nodeTypes: req instanceof NodeRequest && res instanceof NodeResponse });
    objects.push(req, res);
  });
  app.post('/echo/:id', (req, res) => {
    res.status(201).json({ id: req.params.id, agent: req.get('x-agent'), query: req.query });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { app, server, seen, objects, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const post = (url: string) => fetch(`${url}/echo/7?x=1`, { method: 'POST', headers: { 'x-agent': 'spec' } });

describe('ExpressHttpAdapter', () => {
  it('builds requests and responses on Express’s prototypes, and Express serves them as before', async () => {
    const { app, server, seen, url } = await serve({});
    try {
      const res = await post(url);
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ id: '7', agent: 'spec', query: { x: '1' } });
      expect(seen).toEqual([{ request: app.request, response: app.response, nodeTypes: true }]);
    } finally {
      server.close();
    }
  });

  it('builds them with fast properties, which they keep through Express’s handling', async () => {
    const { server, objects, url } = await serve({});
    try {
      expect((await post(url)).status).toBe(201);
      expect(objects).toHaveLength(2);
      expect(objects.map(hasFastProperties)).toEqual([true, true]);
    } finally {
      server.close();
    }
  });

  it('leaves forceCloseConnections to Nest’s own server, whose requests get their prototypes from Express', async () => {
    const { app, server, seen, url } = await serve({ forceCloseConnections: true });
    try {
      const res = await post(url);
      expect(res.status).toBe(201);
      expect(seen).toEqual([{ request: NodeRequest.prototype, response: NodeResponse.prototype, nodeTypes: true }]);
      expect(seen[0].request).not.toBe(app.request);
    } finally {
      server.close();
    }
  });
});
