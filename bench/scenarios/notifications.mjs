// notifications: 10,000 changes (new groups, 1,000 a batch) POSTed, signed, to a local receiver (node:http on
// loopback, answering 204 at once): events per second from the first event received to the last, with every
// event checked once each (by id) and its signature verified. Then the change feed read from the start at
// those 10,000 changes, 500 a page, as a consumer catching up would.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { call } from './tickets.mjs';

const GROUPS = 10_000;
const BATCH = 1_000;
const SECRET = 'bench-notification-secret-0123';
const WAIT_MS = 120_000;

function startReceiver() {
  const seen = new Set();
  const state = { received: 0, duplicates: 0, badSignatures: 0, first: 0, last: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
      if (req.headers['x-crashbridge-signature'] !== expected) state.badSignatures++;
      const { id } = JSON.parse(raw.toString('utf8'));
      if (seen.has(id)) state.duplicates++;
      seen.add(id);
      state.received++;
      const now = performance.now();
      if (state.first === 0) state.first = now;
      state.last = now;
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, state, port: server.address().port, seen })));
}

export default {
  id: 'notifications',
  title: `Notifications: ${GROUPS.toLocaleString('en')} group.created events to a local receiver; the change feed read at ${GROUPS.toLocaleString('en')} changes`,
  async run(ctx) {
    const headers = { authorization: `Bearer ${ctx.adminToken}` };
    const port = ctx.service.port;
    const key = 'bench-notify';
    await call(port, 'POST', '/api/v1/projects', { headers, body: { key, name: key }, expect: [201] });
    const receiver = await startReceiver();
    try {
      await call(port, 'PUT', `/api/v1/projects/${key}/notifications`, {
        headers, body: { url: `http://127.0.0.1:${receiver.port}/hook`, secret: SECRET, events: ['group.created'] },
      });
      for (let b = 0; b < GROUPS / BATCH; b++) {
        const groups = Array.from({ length: BATCH }, (_, i) => ({ fingerprint: `notify-${b}-${i}`, title: `Bench ${b}-${i}` }));
        await call(port, 'POST', `/api/v1/projects/${key}/groups`, { headers, body: { groups } });
      }
      const deadline = performance.now() + WAIT_MS;
      while (receiver.seen.size < GROUPS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const s = receiver.state;
      const seconds = (s.last - s.first) / 1000;
      const perSecond = receiver.seen.size < GROUPS || seconds <= 0 ? 0 : (GROUPS - 1) / seconds;
      ctx.note('notifications', `${receiver.seen.size} of ${GROUPS} events in ${seconds.toFixed(2)} s; ${s.duplicates} duplicate(s), ${s.badSignatures} bad signature(s)`);

      const started = performance.now();
      let after = '';
      let read = 0;
      for (;;) {
        const page = await call(port, 'GET', `/api/v1/projects/${key}/changes?limit=500${after ? `&after=${after}` : ''}`, { headers });
        read += page.items.length;
        if (page.items.length === 0) break;
        after = page.nextCursor;
      }
      const feedMs = performance.now() - started;
      return [
        { figure: 'notifications_events_per_s', label: 'notifications: events/s delivered to a local receiver (signed, once each)', unit: 'events/s', value: s.duplicates + s.badSignatures > 0 ? 0 : perSecond,
          target: { on: 'value', op: '>=', value: 500, text: '≥ 500/s' } },
        { figure: 'change_feed_read_ms', label: `change feed: reading all ${read.toLocaleString('en')} changes, 500 a page`, unit: 'ms', value: read === GROUPS ? feedMs : Infinity,
          target: { on: 'value', op: '<', value: 1000, text: '< 1 s' } },
      ];
    } finally {
      receiver.server.close();
    }
  },
};
