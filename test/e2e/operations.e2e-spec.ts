import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ERROR_CODE_LIST } from '@app/common/errors/error-codes';
import { serializeOpenApi } from '@app/common/http/openapi-docs';
import { createTestDatabase } from '../support/databases';
import { TcpProxy } from '../support/tcp-proxy';
import { eventually, startTestApp, TestApp } from '../support/test-app';
import { testMode } from '../support/test-env';

describe('operations', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('reports health with the database and the queue', async () => {
    const res = await app.http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', queue: testMode() === 'embedded' ? 'embedded' : 'up' });
  });

  it('serves Prometheus metrics without secrets', async () => {
    await app.admin('get', '/api/v1/projects').expect(200);
    const res = await app.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('crashbridge_http_requests_total{method="GET",route="/api/v1/projects",status="200"}');
    expect(res.text).toContain('crashbridge_queue_depth');
    expect(res.text).toContain('crashbridge_ingested_groups_total');
    expect(res.text).not.toContain(app.adminToken);
  });

  it('serves the OpenAPI document and UI', async () => {
    const json = await app.http().get('/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/v1/projects', '/api/v1/projects/{key}/groups', '/health']));
    const ui = await app.http().get('/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('serves the committed openapi.json, the document the e2e suite checks answers against', async () => {
    const served = (await app.http().get('/docs-json').expect(200)).body;
    expect(serializeOpenApi(served)).toBe(readFileSync(resolve(__dirname, '..', '..', 'openapi.json'), 'utf8'));
  });

  it('documents the error shape, with every error code, as every operation\'s error answer', async () => {
    const doc = (await app.http().get('/docs-json').expect(200)).body;
    const schema = doc.components.schemas.ErrorResponseDto;
    expect(Object.keys(schema.properties).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
    expect([...schema.properties.code.enum].sort()).toEqual([...ERROR_CODE_LIST].sort());
    const ref = doc.paths['/api/v1/projects/{key}/groups'].post.responses.default.content['application/json'].schema.$ref;
    expect(ref).toBe('#/components/schemas/ErrorResponseDto');
  });

  it('echoes a request id, or makes one', async () => {
    const given = await app.http().get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await app.http().get('/health').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.http().get('/nope').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

const postgresOnly = testMode() === 'postgres' ? describe : describe.skip;

postgresOnly('database outage (PostgreSQL behind a proxy the test can cut)', () => {
  let proxy: TcpProxy;
  let app: TestApp;
  beforeAll(async () => {
    const real = new URL(await createTestDatabase());
    proxy = await TcpProxy.start(real.hostname, Number(real.port || 5432));
    const viaProxy = new URL(real.toString());
    viaProxy.port = String(proxy.port);
    app = await startTestApp({ env: { DATABASE_URL: viaProxy.toString() } });
  });
  afterAll(async () => {
    proxy.unblock();
    await app.stop();
    await proxy.stop();
  });

  it('answers 503 (not 500, never hangs) while the database is down, and recovers by itself', async () => {
    await app.admin('post', '/api/v1/projects').send({ key: 'outage', name: 'Outage' }).expect(201);
    proxy.block();
    const health = await app.http().get('/health').timeout(8_000);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', database: 'down' });
    const api = await app.admin('get', '/api/v1/projects/outage').timeout(15_000);
    expect(api.status).toBe(503);
    expect(api.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: ['database unavailable, retry later'] });
    proxy.unblock();
    await eventually(async () => (await app.http().get('/health')).status === 200, 20_000, 200);
    await app.admin('get', '/api/v1/projects/outage').expect(200);
  });
});
