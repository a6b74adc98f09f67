// What the three bare baseline servers share: a node:http server on PORT that answers
// GET /health, reads the body of a POST to its route whole, and hands it to the server's own
// handler (an error it throws is a 500), and that closes its pg pool on SIGTERM or SIGINT.
import http from 'node:http';

export function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** `handle(raw, req, res)` answers a POST to `route`; a body over `maxBody` bytes is a 413 without it. */
export function serveBare({ pool, route, handle, maxBody = Infinity }) {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || !route.test(req.url)) return send(res, 404, { statusCode: 404 });
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= maxBody) chunks.push(c);
    });
    req.on('end', async () => {
      if (size > maxBody) return send(res, 413, { statusCode: 413 });
      try {
        await handle(Buffer.concat(chunks), req, res);
      } catch (err) {
        send(res, 500, { statusCode: 500, message: String(err.message) });
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), '127.0.0.1');
  const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
