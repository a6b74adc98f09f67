// sendJson (src/common/http/direct-route.ts) answers the direct routes: the same status, headers and
// body as Express's res.json() for a POST.
import express from 'express';
import request from 'supertest';
import { sendJson } from '@app/common/http/direct-route';

const bodies: unknown[] = [
  { fingerprint: 'a', title: 'Ünïcode — 日本', attributes: { v: { '1.0': 2 } }, link: null },
  { status: 'accepted' },
  { results: Array.from({ length: 300 }, (_, i) => ({ fingerprint: `fp-${i}`, status: 'created' })) },
];

describe('sendJson answers as res.json does', () => {
  const app = express();
  app.post('/express/:i/:status', (req, res) => {
    res.status(Number(req.params.status)).json(bodies[Number(req.params.i)]);
  });
  app.post('/direct/:i/:status', (req, res) => sendJson(req, res, Number(req.params.status), bodies[Number(req.params.i)]));

  it.each(bodies.flatMap((_, i) => [200, 201, 202].map((status) => [i, status])))('body %i, status %i', async (i, status) => {
    const a = await request(app).post(`/express/${i}/${status}`);
    const b = await request(app).post(`/direct/${i}/${status}`);
    expect(b.status).toBe(a.status);
    expect(b.text).toBe(a.text);
    for (const h of ['content-type', 'content-length', 'etag']) expect([h, b.headers[h]]).toEqual([h, a.headers[h]]);
  });
});
