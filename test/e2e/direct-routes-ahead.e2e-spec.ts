// The direct routes serve their usual requests ahead of Express and leave the rest to Express (a parameter to
// decode, a trailing slash): src/common/http/direct-route-matcher.ts. Both ways must answer alike.
import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { hasFastProperties } from '../support/fast-properties';
import { createProject, startTestApp, TestApp } from '../support/test-app';

describe('direct routes ahead of Express and through it', () => {
  let app: TestApp;
  let key: string;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ key, ingestToken: token } = await createProject(app));
  });
  afterAll(() => app.stop());

  const encoded = () => [...key].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
  // The first is served ahead of Express; the others by Express, by its own rules.
  const paths = () => [`/api/v1/projects/${key}/groups`, `/api/v1/projects/${key}/groups/`, `/api/v1/projects/${encoded()}/groups`];
  const post = (path: string, body: object, auth = `Bearer ${token}`) =>
    app.http().post(path).set('Authorization', auth).set('X-Request-Id', 'ahead-1').send(body);
  /** An answer without what differs by request: the group's fingerprint, its times and id. */
  const comparable = (res: { status: number; body: Record<string, unknown>; headers: Record<string, string> }) => ({
    status: res.status,
    body: { ...res.body, fingerprint: undefined, id: undefined, firstSeen: undefined, lastSeen: undefined, updatedAt: undefined, createdAt: undefined },
    type: res.headers['content-type'],
    requestId: res.headers['x-request-id'],
  });

  it('answers a new report and a repeat alike, whichever way the request goes', async () => {
    const answers = [];
    for (const [i, path] of paths().entries()) {
      const report = { fingerprint: `ahead-${i}`, title: 'crash', callstack: ['main'] };
      const created = await post(path, report);
      const again = await post(path, report);
      expect([created.status, again.status]).toEqual([201, 200]);
      expect(again.body).toMatchObject({ fingerprint: `ahead-${i}`, count: 2 });
      answers.push([comparable(created), comparable(again)]);
    }
    expect(answers[0][0]).toMatchObject({ type: 'application/json; charset=utf-8', requestId: 'ahead-1', body: expect.objectContaining({ count: 1, title: 'crash' }) });
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });

  it('answers failures alike, whichever way the request goes', async () => {
    const answers = await Promise.all(paths().map(async (path) => [
      comparable(await post(path, { fingerprint: 'x' }, 'Bearer not-a-token')),
      comparable(await post(path, { title: 'no fingerprint' })),
    ]));
    expect(answers[0][0]).toMatchObject({ status: 401, type: 'application/json; charset=utf-8', requestId: 'ahead-1' });
    expect(answers[0][1]).toMatchObject({ status: 400, body: expect.objectContaining({ message: [expect.stringContaining('fingerprint')] }) });
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });

  it('gets its requests from a server that builds them on Express’s prototypes (express-http-adapter.ts)', async () => {
    const nest = app.service.app as INestApplication;
    const server = nest.getHttpServer() as Server;
    const express = nest.getHttpAdapter().getInstance() as Express;
    const seen: object[] = [];
    const objects: object[] = [];
    const note = (req: IncomingMessage, res: ServerResponse) => {
      seen.push(Object.getPrototypeOf(req), Object.getPrototypeOf(res));
      objects.push(req, res);
    };
    server.prependListener('request', note);
    try {
      expect((await post(paths()[0], { fingerprint: 'prototypes', title: 'crash' })).status).toBe(201);
      expect((await app.http().get('/health')).status).toBe(200);
    } finally {
      server.removeListener('request', note);
    }
    expect(seen).toEqual([express.request, express.response, express.request, express.response]);
    // Answered, by a direct route and by Express, each request and response still has fast properties.
    expect(objects.map(hasFastProperties)).toEqual([true, true, true, true]);
  });
});
