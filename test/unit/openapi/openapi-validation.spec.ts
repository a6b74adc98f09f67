import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { assertResponsesDocumented, watchResponses } from '../../support/openapi-validation';

/** Answers every request with the status, content type and body its path names (GET /<status>/<case>). */
const ANSWERS: Record<string, [number, string, string]> = {
  '/api/v1/projects/ok': [200, 'application/json', JSON.stringify({ key: 'web', name: 'Web', createdAt: '2026-12-06T10:00:00.000Z' })],
  '/api/v1/projects/missing-field': [200, 'application/json', JSON.stringify({ key: 'web', name: 'Web' })],
  '/api/v1/projects/error': [404, 'application/json', JSON.stringify({ statusCode: 404, error: 'Not Found', message: ['no'], code: 'PROJECT_NOT_FOUND' })],
  '/api/v1/projects/bad-error': [404, 'application/json', JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'no' })],
  '/api/v1/projects/teapot': [418, 'application/json', JSON.stringify({ statusCode: 418, error: "I'm a teapot", message: ['no'] })],
  '/api/v1/projects/nullable/groups/fp': [200, 'application/json', JSON.stringify({
    fingerprint: 'fp', title: 't', callstack: [], classifiers: [], count: 1, firstSeen: '2026-12-06T10:00:00.000Z', lastSeen: '2026-12-06T10:00:00.000Z',
    link: null, attributes: { os: { linux: 1 } }, topValues: { os: 'linux' }, state: 'open', assignee: null, resolvedUntil: null, regressions: 0,
    ticket: null, updatedAt: '2026-12-06T10:00:00.000Z',
  })],
  '/api/v1/unknown-route': [200, 'application/json', '{}'],
  '/metrics': [200, 'text/plain; version=0.0.4', 'up 1\n'],
};

describe('openapi-validation (the e2e suite\'s check of every answer against openapi.json)', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, type, body] = ANSWERS[req.url ?? ''] ?? [500, 'text/plain', 'no answer'];
      res.statusCode = status;
      res.setHeader('Content-Type', type);
      res.end(body);
    });
    watchResponses({ getHttpServer: () => server } as unknown as INestApplicationContext);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** GETs the path (with the answer checked once finished), then what the check found. */
  async function problemsOf(path: string): Promise<string> {
    await (await fetch(base + path)).text();
    await new Promise((resolve) => setImmediate(resolve));
    try {
      assertResponsesDocumented();
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  }

  it('accepts answers the document describes: bodies, error bodies, nullable members, text', async () => {
    expect(await problemsOf('/api/v1/projects/ok')).toBe('');
    expect(await problemsOf('/api/v1/projects/error')).toBe('');
    expect(await problemsOf('/api/v1/projects/nullable/groups/fp')).toBe('');
    expect(await problemsOf('/metrics')).toBe('');
  });

  it('refuses a body that does not match, naming the route, the status and the member', async () => {
    expect(await problemsOf('/api/v1/projects/missing-field')).toMatch(/GET \/api\/v1\/projects\/missing-field → 200: body does not match.*createdAt/);
    expect(await problemsOf('/api/v1/projects/bad-error')).toMatch(/→ 404: body does not match.*\/message must be array/);
  });

  it('refuses an undocumented status and an undocumented route', async () => {
    expect(await problemsOf('/api/v1/projects/teapot')).toContain('status 418 is not documented for GET /api/v1/projects/{key}');
    expect(await problemsOf('/api/v1/unknown-route')).toContain('no documented operation answers 200');
  });
});
